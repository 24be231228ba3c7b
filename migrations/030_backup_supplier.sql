-- A backup supplier (issue #32): `.setsku CODE SKU BACKUP`. After a definite failure at the
-- first supplier, the order goes to the backup once, with its own reference, if the backup's
-- cost as synced when the order was placed is within the price sold; never after an unknown
-- or pending answer. The database keeps it to that.
ALTER TABLE products ADD COLUMN backup_sku text CHECK (backup_sku ~ '^([a-z]{2,10}:)?[A-Za-z0-9_.-]{1,64}$');

-- What the order was sold as at the backup, fixed when it was placed like the first supplier's.
ALTER TABLE orders
  ADD COLUMN backup_supplier text,
  ADD COLUMN backup_sku text CHECK (backup_sku ~ '^([a-z]{2,10}:)?[A-Za-z0-9_.-]{1,64}$'),
  ADD COLUMN backup_cost bigint CHECK (backup_cost > 0);
ALTER TABLE orders ADD CONSTRAINT orders_backup_sold_as
  CHECK ((backup_sku IS NULL) = (backup_cost IS NULL) AND (backup_sku IS NULL) = (backup_supplier IS NULL) AND (backup_sku IS NULL OR supplier_sku IS NOT NULL));

-- Up to two supplier transactions per order: the first, and the backup's.
ALTER TABLE supplier_orders ADD COLUMN attempt smallint NOT NULL DEFAULT 1 CHECK (attempt IN (1, 2));
ALTER TABLE supplier_orders DROP CONSTRAINT supplier_orders_pkey;
ALTER TABLE supplier_orders ADD PRIMARY KEY (order_id, attempt);
-- Never two supplier transactions that may succeed for one purchase: all but one have failed.
CREATE UNIQUE INDEX supplier_orders_one_live ON supplier_orders (order_id) WHERE status <> 'failed';

-- Each attempt is what the order was sold as: the first its supplier and SKU, the backup its
-- backup, at most at the cost synced when the order was placed; the backup only after the
-- first one failed.
CREATE OR REPLACE FUNCTION supplier_order_sold_as() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o orders%ROWTYPE;
BEGIN
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  IF NEW.attempt = 1 AND (o.supplier IS DISTINCT FROM NEW.supplier OR o.supplier_sku IS DISTINCT FROM NEW.sku OR o.supplier_cost IS NULL
                          OR NEW.max_price > o.supplier_cost OR o.supplier_postpaid IS DISTINCT FROM NEW.postpaid) THEN
    RAISE EXCEPTION 'supplier order % is not what order % was sold as (% % at most %)', NEW.ref_id, o.public_id, o.supplier, o.supplier_sku, o.supplier_cost
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.attempt = 2 AND (o.backup_supplier IS DISTINCT FROM NEW.supplier OR o.backup_sku IS DISTINCT FROM NEW.sku OR o.backup_cost IS NULL
                          OR NEW.max_price > o.backup_cost OR NEW.postpaid) THEN
    RAISE EXCEPTION 'supplier order % is not the backup order % was sold with (% % at most %)', NEW.ref_id, o.public_id, o.backup_supplier, o.backup_sku, o.backup_cost
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'INSERT' AND NEW.attempt = 2 AND NOT EXISTS (SELECT 1 FROM supplier_orders s WHERE s.order_id = NEW.order_id AND s.attempt = 1 AND s.status = 'failed') THEN
    RAISE EXCEPTION 'order % goes to its backup only after its first supplier failed', o.public_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
