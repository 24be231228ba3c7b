-- A game top-up's destination is its ID and zone joined (`123456781234`, as the supplier
-- takes it); how many of the last digits are the zone is kept, so every message can show
-- the destination as the buyer wrote it: `12345678 (1234)`.
ALTER TABLE orders ADD COLUMN target_zone_length smallint
  CHECK (target_zone_length IS NULL OR (target_zone_length BETWEEN 1 AND 8 AND target IS NOT NULL AND length(target) > target_zone_length));
