-- A message refused for being outside WhatsApp's 24-hour window (131047) is sent again as the
-- store's approved template (WHATSAPP_NOTICE_TEMPLATE) when one is configured (issue #16).
ALTER TABLE outbox ADD COLUMN as_template boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_dead ON outbox (id DESC) WHERE status = 'dead';
