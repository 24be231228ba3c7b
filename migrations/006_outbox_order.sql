-- Per-recipient order across several dispatchers: only the oldest unsent message of a
-- recipient may be claimed, found through this index.
CREATE INDEX outbox_recipient_unsent ON outbox (recipient, id) WHERE status IN ('pending', 'sending');
