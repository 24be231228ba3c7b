-- Last seen, for many buyers at once (issue #34). Each message's sender was one single-row
-- upsert, one statement and one commit per message: the most frequent statement under load
-- (5,815 of ~8,500 in a Cloud API bench). touch_seen writes the known buyers of a group in one
-- statement that never waits: a row a purchase has locked is skipped (SKIP LOCKED; the time is
-- only for broadcasts and the dashboard's order, and the buyer's next message writes it), so a
-- purchase waits at most for this one short statement, never in a cycle. It returns the numbers
-- that are not buyers yet, which the app inserts one row each: a many-row insert holds its first
-- new rows while it waits for a purchase inserting a later one, and could deadlock with it.
CREATE FUNCTION touch_seen(p_wa text[]) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users u SET last_seen_at = now()
    FROM (SELECT id FROM users WHERE wa_id = ANY (p_wa) ORDER BY id FOR UPDATE SKIP LOCKED) l
   WHERE u.id = l.id;
  RETURN QUERY SELECT w FROM unnest(p_wa) AS w WHERE NOT EXISTS (SELECT 1 FROM users x WHERE x.wa_id = w);
END $$;
