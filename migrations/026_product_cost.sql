-- What a stock product costs the seller (`.setmodal CODE COST`), so reports can show profit.
-- Each order keeps the cost its product had when it was placed (a trigger, so every path
-- that writes an order, the one-statement purchase included, records it): a later change
-- of the cost never rewrites past profit.
ALTER TABLE products ADD COLUMN cost bigint CHECK (cost IS NULL OR cost >= 0);
ALTER TABLE orders ADD COLUMN unit_cost bigint CHECK (unit_cost IS NULL OR unit_cost >= 0);

CREATE FUNCTION order_unit_cost() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'purchase' AND NEW.target IS NULL AND NEW.unit_cost IS NULL THEN
    SELECT cost INTO NEW.unit_cost FROM products WHERE id = NEW.product_id;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER order_unit_cost BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION order_unit_cost();
