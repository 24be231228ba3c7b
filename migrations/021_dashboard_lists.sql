-- The dashboard's lists at 100,000 orders (issue #21): an order list filtered by status or by
-- product pages backwards through the newest with an index, not a scan of every order.
CREATE INDEX orders_by_status ON orders (status, id DESC);
CREATE INDEX orders_by_product ON orders (product_id, id DESC) WHERE product_id IS NOT NULL;
