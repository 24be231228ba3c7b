-- Back-in-stock notices (issue #33) go as their own outbox kind, so the dashboard can count
-- them apart: sent, and skipped (a buyer outside WhatsApp's 24-hour window with no notice
-- template configured). A skipped one is not a dead letter the seller must act on.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('delivery', 'payment_link', 'notice', 'restock'));
CREATE INDEX outbox_restock ON outbox (created_at) WHERE kind = 'restock';
