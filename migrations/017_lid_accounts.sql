-- A Baileys sender known only by a LID (no phone number shared yet) gets an account named
-- `<lid>@lid`, never the LID's digits as if they were a phone number (issue #16).
ALTER TABLE users DROP CONSTRAINT users_wa_id_check;
ALTER TABLE users ADD CONSTRAINT users_wa_id_check CHECK (wa_id ~ '^[0-9]{5,20}(@lid)?$');
