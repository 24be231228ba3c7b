-- Top-ups never lose the seller money (issue #27).

-- Sold is bought: a top-up order carries, from the moment it is placed, the supplier, the
-- SKU and the cost it was sold with. The supplier is asked for that SKU with max_price =
-- that cost, whatever the product says by the time the buyer pays: an admin who changes
-- a product's SKU or price changes only later sales.
ALTER TABLE orders
  ADD COLUMN supplier text,
  ADD COLUMN supplier_sku text CHECK (supplier_sku ~ '^[A-Za-z0-9_.-]{1,64}$'),
  ADD COLUMN supplier_cost bigint CHECK (supplier_cost > 0);

-- Orders placed before this migration: what their supplier order says, else the product as it is now.
UPDATE orders o SET supplier = so.supplier, supplier_sku = so.sku, supplier_cost = so.max_price
  FROM supplier_orders so WHERE so.order_id = o.id;
UPDATE orders o SET supplier = sp.supplier, supplier_sku = sp.sku, supplier_cost = sp.cost
  FROM products p, LATERAL (SELECT * FROM supplier_prices x WHERE x.sku = p.supplier_sku ORDER BY x.synced_at DESC LIMIT 1) sp
 WHERE o.target IS NOT NULL AND o.supplier_sku IS NULL AND p.id = o.product_id AND sp.cost > 0;

-- One that can be read from neither (its product no longer a top-up) is marked sold by no known
-- supplier: paid late, it is refunded, never bought as a guess.
UPDATE orders SET supplier = 'unknown', supplier_sku = 'unknown', supplier_cost = 1 WHERE target IS NOT NULL AND supplier_sku IS NULL;
-- Every top-up says what it was sold as.
ALTER TABLE orders ADD CONSTRAINT orders_topup_sold_as
  CHECK (target IS NULL OR (supplier IS NOT NULL AND supplier_sku IS NOT NULL AND supplier_cost IS NOT NULL));
ALTER TABLE orders ADD CONSTRAINT orders_sold_as_topup CHECK (supplier_sku IS NULL OR target IS NOT NULL);
-- A multi:false SKU's repeat to one number the same day is looked up by what was sold.
CREATE INDEX orders_topup_repeat ON orders (target, supplier_sku, created_at) WHERE target IS NOT NULL;

-- The supplier order is the order's sale: its supplier and SKU, and never a max_price above the cost sold at.
CREATE FUNCTION supplier_order_sold_as() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o orders%ROWTYPE;
BEGIN
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  IF o.supplier IS DISTINCT FROM NEW.supplier OR o.supplier_sku IS DISTINCT FROM NEW.sku OR o.supplier_cost IS NULL OR NEW.max_price > o.supplier_cost THEN
    RAISE EXCEPTION 'supplier order % is not what order % was sold as (% % at most %)', NEW.ref_id, o.public_id, o.supplier, o.supplier_sku, o.supplier_cost
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER supplier_order_sold_as BEFORE INSERT OR UPDATE OF sku, max_price, supplier ON supplier_orders
  FOR EACH ROW EXECUTE FUNCTION supplier_order_sold_as();

-- A Sukses is a delivery whatever its SN: `sn` is optional in the protocol ("", "-", "N/A").
DO $$
DECLARE c text;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'supplier_orders'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%sn IS NOT NULL%'
  LOOP
    EXECUTE format('ALTER TABLE supplier_orders DROP CONSTRAINT %I', c);
  END LOOP;
END $$;

-- The buyer hears "paid, being processed" at most once per top-up, whoever says it first
-- (the two-second timer, the supplier's Pending, a timeout).
ALTER TABLE supplier_orders ADD COLUMN processing_told boolean NOT NULL DEFAULT false;
UPDATE supplier_orders SET processing_told = true WHERE status <> 'queued';
-- The last call made (an unsigned callback's re-check waits a little after it).
ALTER TABLE supplier_orders ADD COLUMN last_called_at timestamptz;
UPDATE supplier_orders SET last_called_at = first_sent_at;
-- Open top-ups the buyer was not told about yet: read by the worker's two-second backstop.
CREATE INDEX supplier_orders_untold ON supplier_orders (created_at) WHERE NOT processing_told AND status IN ('queued', 'pending', 'unknown');

-- Admin alerts about the supplier that must not repeat for every top-up (a refused re-check
-- of each pending top-up, an rc kedai does not know): one per key per window.
CREATE TABLE supplier_alerts (
  supplier   text NOT NULL,
  key        text NOT NULL,
  alerted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (supplier, key)
);
