-- Durable webhook inbox: a notification is stored first (and only then answered 200),
-- applied by a worker afterwards, retried with backoff until it is applied or flagged.

ALTER TABLE payment_events
  ADD COLUMN applied_at      timestamptz,
  ADD COLUMN attempts        integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN locked_until    timestamptz,
  ADD COLUMN last_error      text,
  -- Why an event was set aside without effect: unknown_order, amount_mismatch, unconfirmed.
  ADD COLUMN flag            text CHECK (flag IN ('unknown_order', 'amount_mismatch', 'unconfirmed'));

-- Events stored before this migration were applied in the same transaction.
UPDATE payment_events SET applied_at = received_at;

-- The outcome is known once the worker confirmed the status with the gateway.
ALTER TABLE payment_events ALTER COLUMN outcome DROP NOT NULL;

CREATE INDEX payment_events_due ON payment_events (id) WHERE applied_at IS NULL;
