-- Concurrent balance purchases of one product, grouped (issue #34). Buyers of one product queue
-- on its stock counter, which each purchase holds until its commit's WAL flush: one commit at a
-- time per product. buy_many runs up to a few dozen of them in one statement and one commit, each
-- exactly as buy_with_balance (the same checks, the same rows, the invariants unchanged), and
-- answers each on its own: a sold-out one (KD001) is rolled back alone, inside its own block.
CREATE FUNCTION buy_many(p_buys jsonb)
RETURNS TABLE (i integer, result text, detail text, order_id bigint, balance_after bigint, remaining bigint,
               product_id bigint, product_name text, unit_price bigint)
LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
  k integer := 0;
  r record;
BEGIN
  FOR e IN SELECT value FROM jsonb_array_elements(p_buys) LOOP
    k := k + 1;
    BEGIN
      SELECT * INTO r FROM buy_with_balance(e->>'wa', e->>'name', e->>'code', (e->>'qty')::integer, e->>'id',
                                            e->>'before', e->>'after', e->>'tn', e->>'tt', e->>'tl');
      RETURN QUERY SELECT k, r.result, r.detail, r.order_id, r.balance_after, r.remaining, r.product_id, r.product_name, r.unit_price;
    EXCEPTION WHEN SQLSTATE 'KD001' THEN
      RETURN QUERY SELECT k, 'sold_out'::text, (SELECT greatest(0, p.stock_added - p.stock_claimed)::text FROM products p WHERE p.code = e->>'code'),
                          NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
    END;
  END LOOP;
END $$;
