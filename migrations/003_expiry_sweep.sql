-- The expiry sweeper leases overdue pending orders so several kedai processes
-- never check the same order at the same time.
ALTER TABLE orders ADD COLUMN checked_at timestamptz;
