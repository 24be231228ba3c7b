-- Categories: an optional label per product, matched without regard to case.
-- The catalogue's pages read this index in order: a page of 10,000 products
-- costs what a page of 10 does.
ALTER TABLE products ADD COLUMN category text
  CHECK (category IS NULL OR (length(category) BETWEEN 1 AND 40 AND category !~ '^[0-9]+$'));
CREATE INDEX products_catalogue ON products (lower(category), code) WHERE active;
