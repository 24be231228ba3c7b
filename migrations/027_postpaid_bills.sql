-- Postpaid bills (issue #32): PLN postpaid, BPJS, PDAM, internet. The bill is asked for first
-- (`inq-pasca`), shown to the buyer with its total, confirmed with `.ya`, then paid
-- (`pay-pasca`) under the same ref_id as the inquiry: the order's public id.

-- The supplier's postpaid price list sits beside the prepaid one: `cost` is 0 there (the bill
-- decides what is charged), `admin` the supplier's admin fee.
ALTER TABLE supplier_prices
  ADD COLUMN postpaid boolean NOT NULL DEFAULT false,
  ADD COLUMN admin bigint NOT NULL DEFAULT 0 CHECK (admin >= 0);

-- A bill product's price is the store's own fee on top of the bill; it may be 0 (no fee).
-- A stock product still needs a price.
ALTER TABLE products DROP CONSTRAINT IF EXISTS products_price_check;
ALTER TABLE products ADD CONSTRAINT products_price_check CHECK (price > 0 OR (price = 0 AND supplier_sku IS NOT NULL));

-- An order for a bill says so, as it says its SKU and cost: it is paid with pay-pasca and
-- checked with status-pasca, never bought as a prepaid top-up.
ALTER TABLE orders ADD COLUMN supplier_postpaid boolean NOT NULL DEFAULT false;
ALTER TABLE orders ADD CONSTRAINT orders_postpaid_topup CHECK (NOT supplier_postpaid OR supplier_sku IS NOT NULL);
ALTER TABLE supplier_orders ADD COLUMN postpaid boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION supplier_order_sold_as() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o orders%ROWTYPE;
BEGIN
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  IF o.supplier IS DISTINCT FROM NEW.supplier OR o.supplier_sku IS DISTINCT FROM NEW.sku OR o.supplier_cost IS NULL OR NEW.max_price > o.supplier_cost
     OR o.supplier_postpaid IS DISTINCT FROM NEW.postpaid THEN
    RAISE EXCEPTION 'supplier order % is not what order % was sold as (% % at most %)', NEW.ref_id, o.public_id, o.supplier, o.supplier_sku, o.supplier_cost
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER supplier_order_sold_as ON supplier_orders;
CREATE TRIGGER supplier_order_sold_as BEFORE INSERT OR UPDATE OF sku, max_price, supplier, postpaid ON supplier_orders
  FOR EACH ROW EXECUTE FUNCTION supplier_order_sold_as();

-- What a buyer is asked to confirm with `.ya` (valid 10 minutes, `.batal` drops it): one per
-- buyer, a newer one replaces it. A bill's inquiry keeps what was shown, so the total charged
-- is exactly the total shown, and its ref_id, which the payment must reuse.
CREATE TABLE confirmations (
  wa_id              text PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('bill')),
  product_code       text NOT NULL,
  target             text NOT NULL CHECK (target ~ '^[0-9]{4,30}$'),
  target_zone_length integer,
  ref_id             text CHECK (ref_id ~ '^[A-Za-z0-9_~.-]{1,50}$'),
  supplier           text NOT NULL,
  sku                text NOT NULL,
  -- What the supplier charges, and what the buyer pays (the supplier's charge plus the store's fee).
  cost               bigint NOT NULL CHECK (cost > 0),
  total              bigint NOT NULL CHECK (total >= cost),
  details            jsonb NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  CHECK (kind <> 'bill' OR ref_id IS NOT NULL)
);
