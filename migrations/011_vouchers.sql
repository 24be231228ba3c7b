-- Vouchers. Every rule that protects the seller's money is here, not in the app:
-- at most max_uses uses in total, once per buyer, only while active and unexpired,
-- and a use given back when its order expires, is cancelled or fails.
CREATE TABLE vouchers (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_-]{3,20}$' AND code !~ '^[0-9]+$'),
  percent     integer CHECK (percent BETWEEN 1 AND 100),
  amount      bigint CHECK (amount > 0),
  max_uses    integer CHECK (max_uses > 0),          -- NULL: no limit
  uses        integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
  expires_at  timestamptz,                           -- NULL: never
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((percent IS NULL) <> (amount IS NULL)),
  CONSTRAINT voucher_uses_within_max CHECK (max_uses IS NULL OR uses <= max_uses)
);

CREATE TABLE voucher_uses (
  id          bigserial PRIMARY KEY,
  voucher_id  bigint NOT NULL REFERENCES vouchers(id),
  user_id     bigint NOT NULL REFERENCES users(id),
  order_id    bigint NOT NULL UNIQUE REFERENCES orders(id),
  released_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- Once per buyer: a use given back no longer counts.
CREATE UNIQUE INDEX voucher_once_per_buyer ON voucher_uses (voucher_id, user_id) WHERE released_at IS NULL;

-- Taking a use counts it on the voucher (its row lock orders racing buyers; the
-- CHECK above refuses the use past max_uses and rolls the whole order back).
CREATE FUNCTION voucher_use_take() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE vouchers SET uses = uses + 1
   WHERE id = NEW.voucher_id AND active AND (expires_at IS NULL OR expires_at > now());
  IF NOT FOUND THEN
    RAISE EXCEPTION 'voucher % is not active', NEW.voucher_id USING ERRCODE = 'check_violation', CONSTRAINT = 'voucher_not_active';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER voucher_use_take BEFORE INSERT ON voucher_uses FOR EACH ROW EXECUTE FUNCTION voucher_use_take();

CREATE FUNCTION voucher_use_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.voucher_id <> OLD.voucher_id OR NEW.user_id <> OLD.user_id OR NEW.order_id <> OLD.order_id
     OR (OLD.released_at IS NOT NULL AND NEW.released_at IS DISTINCT FROM OLD.released_at) THEN
    RAISE EXCEPTION 'voucher uses are only ever released, once' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER voucher_use_append_only BEFORE UPDATE OR DELETE ON voucher_uses FOR EACH ROW EXECUTE FUNCTION voucher_use_append_only();

ALTER TABLE orders ADD COLUMN discount bigint NOT NULL DEFAULT 0 CHECK (discount >= 0);
ALTER TABLE orders ADD COLUMN voucher_code text;
-- The total is the subtotal less the discount, and a discount never takes it below Rp1.000.
DO $$
DECLARE c text;
BEGIN
  SELECT conname INTO c FROM pg_constraint
   WHERE conrelid = 'orders'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%total = (unit_price * qty)%';
  EXECUTE format('ALTER TABLE orders DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE orders ADD CONSTRAINT orders_total_after_discount
  CHECK (total = unit_price * qty - discount AND (discount = 0 OR total >= 1000) AND (discount = 0) = (voucher_code IS NULL));

-- An order that closes unpaid gives its voucher use back.
CREATE FUNCTION voucher_use_give_back() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  UPDATE voucher_uses SET released_at = now() WHERE order_id = NEW.id AND released_at IS NULL RETURNING voucher_id INTO v;
  IF FOUND THEN
    UPDATE vouchers SET uses = uses - 1 WHERE id = v;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER voucher_use_give_back AFTER UPDATE OF status ON orders FOR EACH ROW
  WHEN (OLD.status = 'pending' AND NEW.status IN ('expired', 'cancelled', 'failed'))
  EXECUTE FUNCTION voucher_use_give_back();
