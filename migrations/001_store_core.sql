-- kedai store core. Every rule that protects money or stock lives here, not only in code.

CREATE TABLE users (
  id          bigserial PRIMARY KEY,
  wa_id       text NOT NULL UNIQUE CHECK (wa_id ~ '^[0-9]{5,20}$'),
  name        text NOT NULL DEFAULT '',
  role        text NOT NULL DEFAULT 'member',
  -- Invariant 3: never negative, and only the ledger trigger below may change it.
  balance     bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_-]{1,32}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  price       bigint NOT NULL CHECK (price > 0),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id             bigserial PRIMARY KEY,
  public_id      text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Za-z0-9_~.-]{1,50}$'),
  user_id        bigint NOT NULL REFERENCES users(id),
  kind           text NOT NULL CHECK (kind IN ('purchase', 'deposit')),
  product_id     bigint REFERENCES products(id),
  qty            integer NOT NULL CHECK (qty > 0),
  unit_price     bigint NOT NULL CHECK (unit_price > 0),
  total          bigint NOT NULL,
  payment_method text NOT NULL CHECK (payment_method IN ('balance', 'gateway')),
  status         text NOT NULL CHECK (status IN ('pending', 'paid', 'delivered', 'expired', 'cancelled', 'failed', 'refunded')),
  payment_url    text,
  payment_token  text,
  expires_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  paid_at        timestamptz,
  delivered_at   timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (total = unit_price * qty),
  CHECK ((kind = 'purchase') = (product_id IS NOT NULL)),
  CHECK (kind = 'purchase' OR payment_method = 'gateway')
);
-- Invariant 2: at most one pending order per user, whatever Redis says.
CREATE UNIQUE INDEX orders_one_pending_per_user ON orders (user_id) WHERE status = 'pending';
CREATE INDEX orders_by_user ON orders (user_id, id DESC);
CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'pending';

CREATE TABLE stock_items (
  id          bigserial PRIMARY KEY,
  product_id  bigint NOT NULL REFERENCES products(id),
  payload     text NOT NULL CHECK (length(payload) BETWEEN 1 AND 4000),
  status      text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'sold', 'removed')),
  -- Invariant 1: one column, so an item belongs to at most one order at a time.
  order_id    bigint REFERENCES orders(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  sold_at     timestamptz,
  CHECK ((status IN ('reserved', 'sold')) = (order_id IS NOT NULL))
);
CREATE INDEX stock_available ON stock_items (product_id, id) WHERE status = 'available';
CREATE INDEX stock_by_order ON stock_items (order_id) WHERE order_id IS NOT NULL;

-- Invariant 1, continued: a sold item stays sold to its order; a reserved item cannot
-- jump to another order without being released first.
CREATE FUNCTION stock_item_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'sold' AND (NEW.status <> 'sold' OR NEW.order_id IS DISTINCT FROM OLD.order_id) THEN
    RAISE EXCEPTION 'stock item % is sold to order % and cannot change', OLD.id, OLD.order_id USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.order_id IS NOT NULL AND NEW.order_id IS NOT NULL AND NEW.order_id <> OLD.order_id THEN
    RAISE EXCEPTION 'stock item % belongs to order %', OLD.id, OLD.order_id USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status = 'removed' AND NEW.status <> 'removed' THEN
    RAISE EXCEPTION 'stock item % was removed', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER stock_item_guard BEFORE UPDATE ON stock_items FOR EACH ROW EXECUTE FUNCTION stock_item_guard();

CREATE TABLE ledger_entries (
  id            bigserial PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users(id),
  amount        bigint NOT NULL CHECK (amount <> 0),
  kind          text NOT NULL CHECK (kind IN ('deposit', 'purchase', 'adjustment', 'refund')),
  order_id      bigint REFERENCES orders(id),
  note          text NOT NULL DEFAULT '',
  balance_after bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- An order moves a balance at most once per kind (a deposit credits once, a purchase debits once).
CREATE UNIQUE INDEX ledger_once_per_order ON ledger_entries (order_id, kind) WHERE order_id IS NOT NULL;
CREATE INDEX ledger_by_user ON ledger_entries (user_id, id);

-- Invariant 3: the balance is the sum of the ledger. Appending an entry applies it;
-- the users CHECK refuses a negative result and rolls the whole transaction back.
CREATE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET balance = balance + NEW.amount, updated_at = now()
   WHERE id = NEW.user_id
  RETURNING balance INTO NEW.balance_after;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no user %', NEW.user_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ledger_apply BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_apply();

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- A balance changed by anything but ledger_apply (trigger depth 1) would break the sum.
CREATE FUNCTION balance_via_ledger_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'balance changes only through ledger_entries' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER balance_via_ledger_only BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION balance_via_ledger_only();

CREATE TABLE payment_events (
  id                 bigserial PRIMARY KEY,
  gateway            text NOT NULL,
  order_ref          text NOT NULL,
  order_id           bigint REFERENCES orders(id),
  transaction_id     text NOT NULL DEFAULT '',
  transaction_status text NOT NULL,
  fraud_status       text,
  gross_amount       text NOT NULL,
  -- Invariant 4: the same gateway event is stored, and so applied, at most once.
  dedupe_key         text NOT NULL UNIQUE,
  outcome            text NOT NULL,
  raw                jsonb NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_events_by_order ON payment_events (order_id);

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  recipient       text NOT NULL,
  body            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('delivery', 'payment_link', 'notice')),
  order_id        bigint REFERENCES orders(id),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_by_order ON outbox (order_id) WHERE order_id IS NOT NULL;

-- Invariant 5: a purchase becomes delivered only in a transaction that also wrote
-- the message carrying its goods. Checked at commit, so the order of statements is free.
CREATE FUNCTION delivery_has_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'delivered' AND NEW.kind = 'purchase'
     AND NOT EXISTS (SELECT 1 FROM outbox WHERE order_id = NEW.id AND kind = 'delivery') THEN
    RAISE EXCEPTION 'order % delivered without a delivery message', NEW.public_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER delivery_has_message AFTER UPDATE OF status ON orders
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION delivery_has_message();
