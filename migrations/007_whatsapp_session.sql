-- Baileys auth state (creds and signal keys) lives in the database, not in files:
-- a restart or a new machine needs no new QR scan. Values are BufferJSON text.
CREATE TABLE whatsapp_auth (
  session    text NOT NULL,
  key        text NOT NULL,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session, key)
);

-- WhatsApp's privacy ids (@lid) mapped to phone numbers when WhatsApp tells us both,
-- so one person is one account whichever id a message carries.
CREATE TABLE whatsapp_lids (
  lid        text PRIMARY KEY,
  wa_id      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
