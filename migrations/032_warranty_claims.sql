-- Warranty claims (issue #33): `.setgaransi CODE DAYS` gives a stock product a warranty; the
-- buyer of a delivered order claims within that many days of delivery (`.klaim`); an admin
-- replaces (`.ganti`: the next item of the product's stock, sold to that order), rejects
-- (`.tolak`) or refunds it.
ALTER TABLE products ADD COLUMN warranty_days integer NOT NULL DEFAULT 0 CHECK (warranty_days BETWEEN 0 AND 3650);
-- Items sold to an order as replacements: a delivered order holds qty + replaced sold items.
ALTER TABLE orders ADD COLUMN replaced integer NOT NULL DEFAULT 0 CHECK (replaced >= 0);

CREATE TABLE warranty_claims (
  id         bigserial PRIMARY KEY,
  order_id   bigint NOT NULL REFERENCES orders(id),
  reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replaced', 'rejected', 'refunded')),
  answer     text CHECK (length(answer) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at  timestamptz,
  closed_by  text,
  CHECK ((status = 'open') = (closed_at IS NULL))
);
-- One open claim per order.
CREATE UNIQUE INDEX warranty_claims_one_open ON warranty_claims (order_id) WHERE status = 'open';
CREATE INDEX warranty_claims_open ON warranty_claims (created_at) WHERE status = 'open';
