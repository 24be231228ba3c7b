-- A detail from the buyer, and delivery by hand (issue #33). `.setform CODE email|text` makes a
-- product ask for a detail (`.buy CODE DETAIL`), stored with the order and shown to the admins.
-- A product with a form and no stock items ever added, or one set `.setmanual`, is fulfilled by
-- hand: once paid, the order waits for an admin's `.kirim ORDERID TEXT`, which delivers TEXT as
-- the goods, kept as the order's delivery message.
ALTER TABLE products
  ADD COLUMN form text CHECK (form IN ('email', 'text')),
  ADD COLUMN manual boolean NOT NULL DEFAULT false;
ALTER TABLE orders
  ADD COLUMN detail text CHECK (length(detail) BETWEEN 1 AND 200),
  ADD COLUMN by_hand boolean NOT NULL DEFAULT false,
  ADD COLUMN hand_message text CHECK (length(hand_message) BETWEEN 1 AND 4000),
  ADD COLUMN hand_reminded_at timestamptz;
-- A manual order is delivered only with its admin's message; only a manual order has one.
ALTER TABLE orders ADD CONSTRAINT orders_by_hand_delivered CHECK ((NOT by_hand OR status <> 'delivered' OR hand_message IS NOT NULL) AND (by_hand OR hand_message IS NULL));
ALTER TABLE orders ADD CONSTRAINT orders_by_hand_purchase CHECK (NOT by_hand OR (kind = 'purchase' AND target IS NULL));
CREATE INDEX orders_by_hand_waiting ON orders (paid_at) WHERE by_hand AND status = 'paid';

-- The one-statement purchase leaves these products to the general path.
CREATE OR REPLACE FUNCTION buy_with_balance(p_wa text, p_name text, p_code text, p_qty integer, p_public_id text,
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
  -- A top-up, a product that asks the buyer for a detail, or one delivered by hand: the general path.
  IF p.supplier_sku IS NOT NULL OR p.form IS NOT NULL OR p.manual THEN
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
