-- A second supplier (issue #32): VIP-Reseller names each order with its own id (`trxid`) and
-- takes no reference of ours, so that id is kept with the supplier order once an answer
-- gives it: status checks ask by it, and its callbacks are matched to the order by it.
ALTER TABLE supplier_orders ADD COLUMN supplier_ref text CHECK (supplier_ref ~ '^[A-Za-z0-9_~.:-]{1,80}$');
CREATE UNIQUE INDEX supplier_orders_by_supplier_ref ON supplier_orders (supplier, supplier_ref) WHERE supplier_ref IS NOT NULL;

-- Its SKUs carry its prefix (`vip:MLBB86`), in the products, the orders and the price list alike.
ALTER TABLE products DROP CONSTRAINT IF EXISTS products_supplier_sku_check;
ALTER TABLE products ADD CONSTRAINT products_supplier_sku_check CHECK (supplier_sku ~ '^([a-z]{2,10}:)?[A-Za-z0-9_.-]{1,64}$');
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_supplier_sku_check;
ALTER TABLE orders ADD CONSTRAINT orders_supplier_sku_check CHECK (supplier_sku ~ '^([a-z]{2,10}:)?[A-Za-z0-9_.-]{1,64}$');
