-- A stock claim whose cost does not grow with the items sold before it.
-- Each product counts the items ever made available (stock_added) and claimed
-- (stock_claimed); every available item has a position in (stock_claimed, stock_added].
-- A claim moves stock_claimed forward and reserves the items at those positions
-- through an index: O(quantity), however many rows were sold. A released item goes
-- back on sale at a new position on top; removed items are taken from the top.
ALTER TABLE products
  ADD COLUMN stock_added   bigint NOT NULL DEFAULT 0,
  ADD COLUMN stock_claimed bigint NOT NULL DEFAULT 0,
  ADD CONSTRAINT products_stock_counters CHECK (stock_claimed >= 0 AND stock_claimed <= stock_added);
ALTER TABLE stock_items ADD COLUMN position bigint;

UPDATE stock_items s SET position = n.pos
  FROM (SELECT id, row_number() OVER (PARTITION BY product_id ORDER BY id) AS pos FROM stock_items WHERE status = 'available') n
 WHERE s.id = n.id;
UPDATE products p SET stock_added = (SELECT count(*) FROM stock_items s WHERE s.product_id = p.id AND s.status = 'available');

CREATE UNIQUE INDEX stock_available_position ON stock_items (product_id, position) WHERE status = 'available';
DROP INDEX stock_available;
