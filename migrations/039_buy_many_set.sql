-- A group of balance purchases written as sets (issue #34). pg_stat_statements with nested
-- statements tracked, during bench/buy-only.ts: a purchase in buy_many cost the database
-- ~0.55 ms, most of it in the executor started afresh for each of its statements (the order's
-- insert alone 0.18-0.22 ms: among other things PostgreSQL rebuilds the 30 CHECK constraints
-- of orders from their stored text for every INSERT statement). Now the checks still run buyer
-- by buyer, in the group's order and exactly as buy_with_balance makes them, but the rows of
-- every buyer who passed them are written together: one insert of the orders, one of the ledger
-- entries and one of the deliveries, and one update of each product's counter; each buyer's
-- items are still sold by a statement of their own (see below). The rows written, their triggers, the invariants and what each buyer is
-- told are unchanged.
--
-- Two things the sequential form got from its own writes are kept by hand:
--   * a buyer twice in one group: the second check sees the balance less what the first took;
--   * a product's counter: locked (FOR UPDATE) at its first buyer in the group, as the claim's
--     UPDATE locked it, the group's claims counted on it, and written once at the end.
-- The group is ordered by product code (repos/buy-batch.ts), so counters are still locked in
-- one order by every group.
CREATE OR REPLACE FUNCTION buy_many(p_buys jsonb)
RETURNS TABLE (i integer, result text, detail text, order_id bigint, balance_after bigint, remaining bigint,
               product_id bigint, product_name text, unit_price bigint)
LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
  k integer := 0;
  u users%ROWTYPE;
  p products%ROWTYPE;
  v_pending text;
  v_price bigint;
  v_total bigint;
  v_qty integer;
  v_spent bigint;
  v_claimed bigint;
  v_added bigint;
  -- What each user has spent in this group so far, and each product's counter as the group moves it.
  spent jsonb := '{}';
  counters jsonb := '{}';
  -- The buyers who passed every check, one array element each.
  b_k integer[] := '{}';
  b_user bigint[] := '{}';
  b_wa text[] := '{}';
  b_product bigint[] := '{}';
  b_name text[] := '{}';
  b_qty integer[] := '{}';
  b_price bigint[] := '{}';
  b_total bigint[] := '{}';
  b_public text[] := '{}';
  b_upto bigint[] := '{}';
  b_remaining bigint[] := '{}';
  b_before text[] := '{}';
  b_after text[] := '{}';
  b_tn text[] := '{}';
  b_tt text[] := '{}';
  b_tl text[] := '{}';
  r_order bigint[];
  r_left bigint[];
  b_body text[] := '{}';
  v_items text;
  v_count bigint;
  j integer;
BEGIN
  FOR e IN SELECT value FROM jsonb_array_elements(p_buys) LOOP
    k := k + 1;
    v_qty := (e->>'qty')::integer;
    -- The buyer's row, locked until the commit; written only when new or renamed.
    SELECT * INTO u FROM users WHERE wa_id = e->>'wa' FOR UPDATE;
    IF NOT FOUND THEN
      INSERT INTO users (wa_id, name) VALUES (e->>'wa', e->>'name') ON CONFLICT (wa_id) DO NOTHING;
      SELECT * INTO u FROM users WHERE wa_id = e->>'wa' FOR UPDATE;
    ELSIF coalesce(e->>'name', '') <> '' AND u.name IS DISTINCT FROM e->>'name' THEN
      UPDATE users SET name = e->>'name' WHERE id = u.id RETURNING * INTO u;
    END IF;
    IF u.held_since IS NOT NULL THEN
      RETURN QUERY SELECT k, 'held'::text, coalesce(u.held_reason, ''), NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
      CONTINUE;
    END IF;
    SELECT o.public_id INTO v_pending FROM orders o WHERE o.user_id = u.id AND o.status = 'pending' LIMIT 1;
    IF v_pending IS NOT NULL THEN
      RETURN QUERY SELECT k, 'in_progress'::text, v_pending, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
      CONTINUE;
    END IF;
    SELECT * INTO p FROM products WHERE code = e->>'code' AND active;
    IF NOT FOUND THEN
      RETURN QUERY SELECT k, 'unknown_product'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
      CONTINUE;
    END IF;
    v_price := coalesce((SELECT pp.price FROM product_prices pp WHERE pp.product_id = p.id AND pp.role = u.role), p.price);
    IF p.supplier_sku IS NOT NULL OR p.form IS NOT NULL OR p.manual THEN
      RETURN QUERY SELECT k, 'fallback'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
      CONTINUE;
    END IF;
    v_total := v_price * v_qty;
    v_spent := coalesce((spent->>u.id::text)::bigint, 0);
    IF u.balance - v_spent < v_total THEN
      RETURN QUERY SELECT k, 'insufficient'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
      CONTINUE;
    END IF;
    -- The claim: the product's counter, locked until the commit at its first buyer in the group.
    IF counters ? p.id::text THEN
      v_claimed := (counters->p.id::text->>0)::bigint;
      v_added := (counters->p.id::text->>1)::bigint;
    ELSE
      SELECT x.stock_claimed, x.stock_added INTO v_claimed, v_added FROM products x WHERE x.id = p.id FOR UPDATE;
    END IF;
    IF v_claimed + v_qty > v_added THEN
      counters := counters || jsonb_build_object(p.id::text, jsonb_build_array(v_claimed, v_added));
      RETURN QUERY SELECT k, 'sold_out'::text, greatest(0, v_added - v_claimed)::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
      CONTINUE;
    END IF;
    v_claimed := v_claimed + v_qty;
    counters := counters || jsonb_build_object(p.id::text, jsonb_build_array(v_claimed, v_added));
    spent := spent || jsonb_build_object(u.id::text, v_spent + v_total);
    b_k := b_k || k;
    b_user := b_user || u.id;
    b_wa := b_wa || (e->>'wa');
    b_product := b_product || p.id;
    b_name := b_name || p.name;
    b_qty := b_qty || v_qty;
    b_price := b_price || v_price;
    b_total := b_total || v_total;
    b_public := b_public || (e->>'id');
    b_upto := b_upto || v_claimed;
    b_remaining := b_remaining || (v_added - v_claimed);
    b_before := b_before || (e->>'before');
    b_after := b_after || (e->>'after');
    b_tn := b_tn || (e->>'tn');
    b_tt := b_tt || (e->>'tt');
    b_tl := b_tl || (e->>'tl');
  END LOOP;

  IF cardinality(b_k) = 0 THEN
    RETURN;
  END IF;

  -- Each product's counter, once.
  UPDATE products x SET stock_claimed = (c.value->>0)::bigint
    FROM jsonb_each(counters) c
   WHERE x.id = c.key::bigint AND x.stock_claimed <> (c.value->>0)::bigint;

  -- The orders and the ledger entries (their trigger moves each balance, in the group's order):
  -- one statement each.
  WITH made AS (
    INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, paid_at, delivered_at)
    SELECT t.public_id, t.user_id, 'purchase', t.product_id, t.qty, t.price, t.total, 'balance', 'delivered', now(), now()
      FROM unnest(b_public, b_user, b_product, b_qty, b_price, b_total) WITH ORDINALITY AS t(public_id, user_id, product_id, qty, price, total, n)
     ORDER BY t.n
    RETURNING orders.id, orders.public_id)
  SELECT array_agg(made.id ORDER BY t.n) INTO r_order
    FROM unnest(b_public) WITH ORDINALITY AS t(public_id, n) JOIN made ON made.public_id = t.public_id;
  WITH entered AS (
    INSERT INTO ledger_entries (user_id, amount, kind, order_id)
    SELECT t.user_id, -t.total, 'purchase', t.order_id
      FROM unnest(b_user, b_total, r_order) WITH ORDINALITY AS t(user_id, total, order_id, n)
     ORDER BY t.n
    RETURNING ledger_entries.order_id, ledger_entries.balance_after)
  SELECT array_agg(entered.balance_after ORDER BY t.n) INTO r_left
    FROM unnest(r_order) WITH ORDINALITY AS t(order_id, n) JOIN entered ON entered.order_id = t.order_id;
  IF coalesce(cardinality(r_order), 0) <> cardinality(b_k) OR coalesce(cardinality(r_left), 0) <> cardinality(b_k) THEN
    RAISE EXCEPTION 'buy_many: % purchases, % orders, % ledger entries', cardinality(b_k), cardinality(r_order), cardinality(r_left);
  END IF;

  -- Each buyer's items, at the positions claimed, sold to their order: one statement per buyer,
  -- the same single-table update through the position index as buy_with_balance (a join of the
  -- group with stock_items was planned, from a young table's statistics, as a scan of every
  -- available item: 183 ms a group with 100k items of one product). Then the deliveries, at once.
  FOR j IN 1 .. cardinality(b_k) LOOP
    WITH taken AS (
      UPDATE stock_items s SET status = 'sold', order_id = r_order[j], sold_at = now()
       WHERE s.product_id = b_product[j] AND s.status = 'available' AND s.position > b_upto[j] - b_qty[j] AND s.position <= b_upto[j]
      RETURNING s.id, s.payload)
    SELECT string_agg(taken.payload, E'\n' ORDER BY taken.id), count(*) INTO v_items, v_count FROM taken;
    -- Every claimed position holds an available item; if not, the whole group rolls back (the app
    -- then tries each buyer alone, as buy_with_balance).
    IF v_count <> b_qty[j] THEN
      RAISE EXCEPTION 'stock positions out of step for product %: claimed % at %', b_product[j], b_qty[j], b_upto[j];
    END IF;
    b_body := b_body || (replace(replace(b_before[j], b_tn[j], b_name[j]), b_tt[j], rupiah(b_total[j]))
                         || v_items
                         || replace(replace(replace(b_after[j], b_tn[j], b_name[j]), b_tt[j], rupiah(b_total[j])), b_tl[j], rupiah(r_left[j])));
  END LOOP;
  INSERT INTO outbox (recipient, body, kind, order_id)
  SELECT t.wa, t.body, 'delivery', t.order_id FROM unnest(b_wa, b_body, r_order) AS t(wa, body, order_id);

  RETURN QUERY SELECT t.k, 'ok'::text, NULL::text, t.order_id, t.left_after, t.remaining, t.product_id, t.name, t.price
                 FROM unnest(b_k, r_order, r_left, b_remaining, b_product, b_name, b_price) AS t(k, order_id, left_after, remaining, product_id, name, price);
END $$;
