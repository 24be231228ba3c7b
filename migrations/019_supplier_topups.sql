-- Supplier top-ups (issue #19): products a supplier (Digiflazz) fulfils on demand for a
-- buyer's phone number, meter number or game ID, instead of items typed in with .addstok.

-- A product with a supplier SKU is a top-up: it has no stock items, its cost and
-- availability come from the supplier's price list.
ALTER TABLE products ADD COLUMN supplier_sku text CHECK (supplier_sku ~ '^[A-Za-z0-9_.-]{1,64}$');

-- The supplier's price list as last synced (at most once per 5 minutes).
CREATE TABLE supplier_prices (
  supplier      text NOT NULL,
  sku           text NOT NULL,
  name          text NOT NULL DEFAULT '',
  category      text NOT NULL DEFAULT '',
  brand         text NOT NULL DEFAULT '',
  cost          bigint NOT NULL CHECK (cost >= 0),
  -- Both the buyer and the seller status on, and stock left (or unlimited).
  active        boolean NOT NULL,
  -- WIB 'HH:MM'; the window may wrap midnight; equal ends = no cut-off.
  cut_off_start text NOT NULL DEFAULT '00:00' CHECK (cut_off_start ~ '^[0-2][0-9]:[0-5][0-9]$'),
  cut_off_end   text NOT NULL DEFAULT '00:00' CHECK (cut_off_end ~ '^[0-2][0-9]:[0-5][0-9]$'),
  multi         boolean NOT NULL DEFAULT true,
  description   text NOT NULL DEFAULT '',
  synced_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (supplier, sku)
);
-- A product finds its entry by SKU alone (the newest sync first), on every catalogue read.
CREATE INDEX supplier_prices_by_sku ON supplier_prices (sku, synced_at DESC);

-- What kedai knows of the supplier account: the deposit, and when the price list was synced.
CREATE TABLE supplier_state (
  supplier     text PRIMARY KEY,
  balance      bigint,
  balance_at   timestamptz,
  synced_at    timestamptz,
  sync_error   text,
  -- The next price-list sync; a process takes the sync by moving it forward (a lease).
  next_sync_at timestamptz NOT NULL DEFAULT now(),
  low_alerted  boolean NOT NULL DEFAULT false
);

-- The destination of a top-up order (customer_no): digits, a zone appended.
ALTER TABLE orders ADD COLUMN target text CHECK (target ~ '^[0-9]{4,30}$');
ALTER TABLE orders ADD CONSTRAINT orders_topup_single CHECK (target IS NULL OR (kind = 'purchase' AND qty = 1));

-- One supplier transaction per order: the order is the primary key and its public id the
-- supplier's ref_id, so a second supplier order for one purchase cannot be written.
CREATE TABLE supplier_orders (
  order_id      bigint PRIMARY KEY REFERENCES orders(id),
  supplier      text NOT NULL,
  ref_id        text NOT NULL UNIQUE,
  sku           text NOT NULL,
  customer_no   text NOT NULL,
  max_price     bigint NOT NULL CHECK (max_price > 0),
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'pending', 'unknown', 'success', 'failed')),
  rc            text,
  message       text,
  sn            text,
  price         bigint,
  reply         jsonb,
  attempts      integer NOT NULL DEFAULT 0,
  next_check_at timestamptz,
  locked_until  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  first_sent_at timestamptz,
  resolved_at   timestamptz,
  escalated_at  timestamptz,
  CHECK ((status IN ('success', 'failed')) = (resolved_at IS NOT NULL)),
  CHECK (status <> 'success' OR sn IS NOT NULL)
);
CREATE INDEX supplier_orders_due ON supplier_orders (next_check_at) WHERE status IN ('queued', 'pending', 'unknown');
CREATE INDEX supplier_orders_recent ON supplier_orders (created_at DESC);

-- A supplier's final word stays final: Sukses never becomes Gagal (no refund of a delivered
-- top-up), Gagal never becomes Sukses (no goods after the refund), and neither is rewritten.
CREATE FUNCTION supplier_order_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('success', 'failed') AND (NEW.status <> OLD.status OR NEW.sn IS DISTINCT FROM OLD.sn OR NEW.resolved_at IS DISTINCT FROM OLD.resolved_at) THEN
    RAISE EXCEPTION 'supplier order % is % and cannot change', OLD.ref_id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.order_id <> OLD.order_id OR NEW.ref_id <> OLD.ref_id THEN
    RAISE EXCEPTION 'supplier order % cannot move to another order', OLD.ref_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER supplier_order_final BEFORE UPDATE ON supplier_orders FOR EACH ROW EXECUTE FUNCTION supplier_order_final();

CREATE FUNCTION supplier_order_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'supplier orders are kept' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER supplier_order_no_delete BEFORE DELETE ON supplier_orders FOR EACH ROW EXECUTE FUNCTION supplier_order_no_delete();

-- Supplier callbacks, kept before the webhook answers 200 and applied by a worker.
CREATE TABLE supplier_events (
  id              bigserial PRIMARY KEY,
  supplier        text NOT NULL,
  ref_id          text NOT NULL,
  -- sha256 of the raw body: the same callback delivered twice is stored once.
  dedupe_key      text NOT NULL UNIQUE,
  body            jsonb NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,
  last_error      text,
  applied_at      timestamptz,
  outcome         text
);
CREATE INDEX supplier_events_due ON supplier_events (next_attempt_at) WHERE applied_at IS NULL;
