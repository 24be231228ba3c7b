-- Inbound WhatsApp messages are kept before the webhook answers 200 (issue #17): Meta does not
-- send an acknowledged message again, so one the process died with is handled from here.
CREATE TABLE inbound_queue (
  message_id  text PRIMARY KEY,
  message     jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  retried_at  timestamptz
);
CREATE INDEX inbound_queue_by_age ON inbound_queue (received_at);
