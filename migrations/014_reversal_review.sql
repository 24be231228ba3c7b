-- Payments as Midtrans really behaves (issue #16):
-- a settlement that the bank takes back later (a reversal) is a state of its own,
-- and a card payment held for fraud review is marked, so the expiry sweeper leaves it alone.

ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('pending', 'paid', 'delivered', 'expired', 'cancelled', 'failed', 'refunded', 'reversed'));
ALTER TABLE orders
  -- Held for fraud review (capture + challenge): still pending, items reserved, never expired by kedai.
  ADD COLUMN review_since timestamptz,
  ADD COLUMN reversed_at  timestamptz,
  -- A reversal takes back what the order credited as far as the balance allows; the rest is owed.
  ADD COLUMN owed         bigint NOT NULL DEFAULT 0 CHECK (owed >= 0),
  ADD CONSTRAINT orders_owed_only_reversed CHECK (owed = 0 OR status = 'reversed');
CREATE INDEX orders_reversed ON orders (reversed_at DESC) WHERE status = 'reversed';

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('deposit', 'purchase', 'adjustment', 'refund', 'reversal'));

-- A buyer whose payment was reversed buys again only after an admin decided (.lepas NUMBER).
ALTER TABLE users
  ADD COLUMN held_since  timestamptz,
  ADD COLUMN held_reason text;
