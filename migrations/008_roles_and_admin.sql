-- Role pricing: a product may have a price per buyer role (reseller, vip, …);
-- without one, the role pays the product's base price.
CREATE TABLE product_prices (
  product_id bigint NOT NULL REFERENCES products(id),
  role       text NOT NULL CHECK (role ~ '^[a-z0-9_-]{1,20}$'),
  price      bigint NOT NULL CHECK (price > 0),
  PRIMARY KEY (product_id, role)
);

ALTER TABLE users ADD CONSTRAINT users_role_format CHECK (role ~ '^[a-z0-9_-]{1,20}$');
-- Blocked buyers are ignored; last_seen_at bounds a broadcast to people who wrote within 24 h.
ALTER TABLE users ADD COLUMN blocked_at timestamptz, ADD COLUMN last_seen_at timestamptz;
CREATE INDEX users_last_seen ON users (last_seen_at) WHERE last_seen_at IS NOT NULL;
CREATE INDEX orders_paid_at ON orders (paid_at) WHERE paid_at IS NOT NULL;
