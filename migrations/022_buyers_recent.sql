-- The dashboard's buyers list at 100,000 users (issue #21): newest activity first, by index.
CREATE INDEX users_recent ON users ((coalesce(last_seen_at, created_at)) DESC);
