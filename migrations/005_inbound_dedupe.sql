-- Inbound message ids already handled, so a message WhatsApp delivers twice (or two
-- kedai processes both receive) is answered once. Kept for two days, then swept.
CREATE TABLE inbound_messages (
  message_id text PRIMARY KEY,
  seen_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_messages_seen ON inbound_messages (seen_at);
