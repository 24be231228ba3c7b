-- `npx kedai doctor` asks the running kedai to check the configuration it runs with (a
-- notice on kedai_changes); the bot writes its report here and the doctor prints it.
-- Reports hold check names and verdicts, never a secret.
CREATE TABLE doctor_reports (
  request_id text PRIMARY KEY CHECK (request_id ~ '^[a-f0-9]{8,64}$'),
  pid        integer NOT NULL,
  checks     jsonb NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
