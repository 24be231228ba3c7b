-- Referral commission (issue #33): REFERRAL_PERCENT of each delivered purchase of a referred
-- buyer is credited to the referrer once, as a ledger entry of its own kind; a purchase later
-- refunded or reversed takes it back as far as the referrer's balance allows (the rest owed).
ALTER TABLE users
  ADD COLUMN ref_code text UNIQUE CHECK (ref_code ~ '^[A-Z0-9]{6,12}$'),
  ADD COLUMN referred_by bigint REFERENCES users(id),
  ADD COLUMN referred_at timestamptz;
ALTER TABLE users ADD CONSTRAINT users_not_self_referred CHECK (referred_by IS NULL OR referred_by <> id);
CREATE INDEX users_referred_by ON users (referred_by) WHERE referred_by IS NOT NULL;

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('deposit', 'purchase', 'adjustment', 'refund', 'reversal', 'commission', 'commission_back'));

-- One commission per order (the primary key), at the percentage in force when it was paid.
CREATE TABLE commissions (
  order_id      bigint PRIMARY KEY REFERENCES orders(id),
  referrer_id   bigint NOT NULL REFERENCES users(id),
  percent       numeric(5, 2) NOT NULL CHECK (percent > 0 AND percent <= 100),
  amount        bigint NOT NULL CHECK (amount > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  taken_back    bigint CHECK (taken_back >= 0 AND taken_back <= amount),
  owed          bigint NOT NULL DEFAULT 0 CHECK (owed >= 0),
  taken_back_at timestamptz,
  CHECK ((taken_back IS NULL) = (taken_back_at IS NULL) AND owed <= amount)
);
CREATE INDEX commissions_by_referrer ON commissions (referrer_id, created_at);
