-- The common purchase in one round trip (issue #20): `.buy CODE [QTY]` of a stock product,
-- paid from a balance that covers it, no voucher. One call upserts and locks the buyer,
-- checks for a pending order with a fresh snapshot, reads the product and the buyer's
-- price, writes the order, the debit and the delivery, claims the items and queues their
-- message; the statement's own commit ends it. Every rule stays where it was: the triggers
-- and constraints of 001–019 check this path as they check the others. A top-up answers
-- 'fallback' and a balance too small 'insufficient': the caller takes the general path.
--
-- The delivery message is the caller's text (its language, its wording) with three tokens
-- the database fills in: the product's name, the total and the balance left.

-- `1234567` → `Rp1.234.567`, as src/domain/money.ts formatRupiah writes it (a test keeps them equal).
CREATE FUNCTION rupiah(v bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v < 0 THEN '-' ELSE '' END || 'Rp' || regexp_replace(abs(v)::text, '(\d)(?=(\d{3})+$)', '\1.', 'g')
$$;

-- Results: ok (order_id, balance_after, remaining), held (detail = the reason), in_progress
-- (detail = the pending order's id), unknown_product, insufficient, fallback. Sold out raises
-- SQLSTATE KD001 (detail = the items that were left) so the order and the debit roll back.
CREATE FUNCTION buy_with_balance(p_wa text, p_name text, p_code text, p_qty integer, p_public_id text,
                                 p_before text, p_after text, p_name_token text, p_total_token text, p_left_token text)
RETURNS TABLE (result text, detail text, order_id bigint, balance_after bigint, remaining bigint,
               product_id bigint, product_name text, unit_price bigint)
LANGUAGE plpgsql AS $$
DECLARE
  u users%ROWTYPE;
  p products%ROWTYPE;
  v_pending text;
  v_price bigint;
  v_total bigint;
  v_order bigint;
  v_left bigint;
  v_taken bigint;
  v_remaining bigint;
BEGIN
  -- The upsert's ON CONFLICT DO UPDATE locks the buyer's row until the commit.
  INSERT INTO users (wa_id, name) VALUES (p_wa, p_name)
  ON CONFLICT (wa_id) DO UPDATE SET name = CASE WHEN EXCLUDED.name = '' THEN users.name ELSE EXCLUDED.name END
  RETURNING * INTO u;
  IF u.held_since IS NOT NULL THEN
    RETURN QUERY SELECT 'held'::text, coalesce(u.held_reason, ''), NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  -- A new snapshot for this statement: an order a neighbour committed while we waited for the row is seen.
  SELECT o.public_id INTO v_pending FROM orders o WHERE o.user_id = u.id AND o.status = 'pending' LIMIT 1;
  IF v_pending IS NOT NULL THEN
    RETURN QUERY SELECT 'in_progress'::text, v_pending, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  SELECT * INTO p FROM products WHERE code = p_code AND active;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_product'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  v_price := coalesce((SELECT pp.price FROM product_prices pp WHERE pp.product_id = p.id AND pp.role = u.role), p.price);
  IF p.supplier_sku IS NOT NULL THEN
    RETURN QUERY SELECT 'fallback'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  v_total := v_price * p_qty;
  IF u.balance < v_total THEN
    RETURN QUERY SELECT 'insufficient'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, paid_at)
  VALUES (p_public_id, u.id, 'purchase', p.id, p_qty, v_price, v_total, 'balance', 'paid', now())
  RETURNING id INTO v_order;
  INSERT INTO ledger_entries (user_id, amount, kind, order_id) VALUES (u.id, -v_total, 'purchase', v_order)
  RETURNING ledger_entries.balance_after INTO v_left;
  UPDATE orders SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE id = v_order AND status = 'paid';
  -- Last: the claim locks the product's counter until the commit, so one product's buyers queue only here.
  SELECT count(*), min(t.remaining) INTO v_taken, v_remaining
    FROM stock_take(p.id, v_order, p_qty, p_wa,
                    replace(replace(p_before, p_name_token, p.name), p_total_token, rupiah(v_total)),
                    replace(replace(replace(p_after, p_name_token, p.name), p_total_token, rupiah(v_total)), p_left_token, rupiah(v_left))) t;
  IF v_taken < p_qty THEN
    RAISE EXCEPTION 'sold out' USING ERRCODE = 'KD001', DETAIL = greatest(0, p.stock_added - p.stock_claimed)::text;
  END IF;
  RETURN QUERY SELECT 'ok'::text, NULL::text, v_order, v_left, v_remaining, p.id, p.name, v_price;
END $$;
