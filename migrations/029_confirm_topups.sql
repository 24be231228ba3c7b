-- A top-up to a game ID or a PLN meter is confirmed before any money moves (issue #32): the
-- supplier names the ID's player or the meter's owner, the buyer answers `.ya`. The question
-- waits in `confirmations` like a bill's, with what was shown (the total, the name).
ALTER TABLE confirmations DROP CONSTRAINT IF EXISTS confirmations_kind_check;
ALTER TABLE confirmations ADD CONSTRAINT confirmations_kind_check CHECK (kind IN ('bill', 'topup'));

-- `.setcek CODE GAME`: the game a product's IDs are checked in, when the supplier's own name for it does not fit.
ALTER TABLE products ADD COLUMN check_game text CHECK (check_game ~ '^[a-z0-9-]{2,40}$');
