-- WhatsApp's receipts for what the outbox sent (issue #16): the provider's message ids tie a
-- later `delivered`, `read` or `failed` status to its row; an order's goods message then shows
-- sent / delivered / read, proof for a dispute.
ALTER TABLE outbox
  ADD COLUMN wa_ids       text[],
  ADD COLUMN delivered_at timestamptz,
  ADD COLUMN read_at      timestamptz;
CREATE INDEX outbox_by_wa_id ON outbox USING gin (wa_ids);
