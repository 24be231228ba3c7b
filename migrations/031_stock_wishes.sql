-- Back in stock (issue #33): `.notify CODE` on a sold-out product (or a top-up that cannot be
-- sold now) records a buyer's wish; when stock comes back (chat, dashboard, CLI import) or the
-- top-up becomes sellable, each buyer who asked is told once through the outbox and the wish is
-- used up (deleted). Wishes expire after 30 days.
CREATE TABLE stock_wishes (
  wa_id      text NOT NULL,
  product_id bigint NOT NULL REFERENCES products(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (wa_id, product_id)
);
CREATE INDEX stock_wishes_by_product ON stock_wishes (product_id, created_at);
