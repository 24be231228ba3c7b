import { mkdtempSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, type Database } from '../src/adapters/postgres/db.js';
import { MIGRATIONS_DIR, migrate, pendingMigrations } from '../src/adapters/postgres/migrate.js';
import { ConfigError, DEMO_ADMIN, loadConfig } from '../src/config.js';
import { backends, concurrentBackend } from './helpers.js';

const FILES = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();

describe.each(backends)('migrations on $name', (backend) => {
  let db: Database;
  let url: string | null;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, url, drop } = await backend.open());
  });
  afterAll(async () => drop?.());

  it('applies every file once, in order, and records it', async () => {
    expect(FILES[0]).toBe('001_store_core.sql');
    expect(await pendingMigrations(db)).toEqual(FILES);
    // Two processes starting together: the advisory lock lets one apply, the other sees it done.
    const second = url ? connectPg(url, { max: 2 }) : db;
    const [a, b] = await Promise.all([migrate(db), migrate(second)]);
    if (second !== db) await second.close();
    expect([...a, ...b]).toEqual(FILES);
    expect(await migrate(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('leaves the schema as it was when a file fails', async () => {
    await migrate(db); // kedai's own files applied (already so when the case above ran)
    const dir = mkdtempSync(join(tmpdir(), 'kedai-mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, '900_ok.sql'), 'CREATE TABLE mig_probe (id int);');
    writeFileSync(join(dir, '901_broken.sql'), 'CREATE TABLE nope (;');
    await expect(migrate(db, dir)).rejects.toThrow();
    expect(await db.query(`SELECT to_regclass('mig_probe') AS t`)).toEqual([{ t: null }]);
    expect(await pendingMigrations(db, dir)).toEqual(['900_ok.sql', '901_broken.sql']);
  });

  it('runs parameterised queries as prepared statements, and relaxed writes without waiting for the WAL flush', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    expect(await db.query(text, [1])).toEqual([{ n: 2 }]);
    expect(await db.query(text, [41])).toEqual([{ n: 42 }]);
    if (backend.name !== 'postgres') return; // PGlite: one connection, nothing to flush for
    const probe = connectPg(url!, { max: 1 }); // one connection, so the statement is prepared on the one asked
    await probe.query(text, [1]);
    expect(await probe.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`, [text])).toEqual([{ n: 1 }]);
    expect(await probe.query('SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
    expect(await probe.relaxed.query('SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'off' }]);
    await probe.close();
  });
});

describe(`concurrent migration on ${concurrentBackend.name}`, () => {
  it('five processes migrating one fresh database at once all succeed', async () => {
    const { db, url, drop } = await concurrentBackend.open();
    try {
      const others = url ? Array.from({ length: 4 }, () => connectPg(url, { max: 1 })) : [db, db, db, db];
      const results = await Promise.all([db, ...others].map((d) => migrate(d)));
      expect(results.flat()).toEqual(FILES);
      if (url) await Promise.all(others.map((o) => o.close()));
    } finally {
      await drop();
    }
  });
});

describe('configuration', () => {
  it('gives the embedded defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.databaseUrl).toBeNull();
    expect(c.transport).toBe('webchat');
    expect(c.midtrans.sandbox).toBe(true);
    expect(c.midtrans.snapUrl).toBe('http://127.0.0.1:3000/sandbox/midtrans/snap/v1');
    expect(c.adminNumbers).toEqual([DEMO_ADMIN]);
    expect(c.locale).toBe('id');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('uses the real Midtrans hosts when a key is set, production with MIDTRANS_IS_PRODUCTION', () => {
    const sandbox = loadConfig({ MIDTRANS_SERVER_KEY: 'SB-Mid-server-abcdef' });
    expect(sandbox.midtrans.snapUrl).toBe('https://app.sandbox.midtrans.com/snap/v1');
    expect(sandbox.midtrans.apiUrl).toBe('https://api.sandbox.midtrans.com/v2');
    const prod = loadConfig({ MIDTRANS_SERVER_KEY: 'Mid-server-abcdef', MIDTRANS_IS_PRODUCTION: 'true' });
    expect(prod.midtrans.snapUrl).toBe('https://app.midtrans.com/snap/v1');
    expect(prod.midtrans.apiUrl).toBe('https://api.midtrans.com/v2');
  });

  it('picks the top-up supplier: the sandbox only for the demo, Digiflazz with both credentials, none on a real store without them', () => {
    expect(loadConfig({}).supplier).toMatchObject({ kind: 'sandbox', url: 'http://127.0.0.1:3000/sandbox/digiflazz/v1' });
    const real = { DATABASE_URL: 'postgres://x@y/z', WHATSAPP_TRANSPORT: 'cloud', WHATSAPP_CLOUD_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '1', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v', MIDTRANS_SERVER_KEY: 'Mid-server-abcdef' };
    expect(loadConfig(real).supplier.kind).toBe('none');
    // An embedded store on real WhatsApp with real payments: still no made-up serial numbers.
    expect(loadConfig({ ...real, DATABASE_URL: '' }).supplier.kind).toBe('none');
    const digiflazz = loadConfig({ ...real, DIGIFLAZZ_USERNAME: 'seller', DIGIFLAZZ_API_KEY: 'prod-key-123' });
    expect(digiflazz.supplier).toMatchObject({ kind: 'digiflazz', url: 'https://api.digiflazz.com/v1', testing: false, webhookSecret: null });
    expect(digiflazz.warnings.join('\n')).toContain('DIGIFLAZZ_WEBHOOK_SECRET');
    // A short hook secret falls to an offline brute force of one captured callback: 16 characters at least.
    expect(() => loadConfig({ ...real, DIGIFLAZZ_USERNAME: 'seller', DIGIFLAZZ_API_KEY: 'prod-key-123', DIGIFLAZZ_WEBHOOK_SECRET: 'abcdefgh12345' })).toThrow(/DIGIFLAZZ_WEBHOOK_SECRET: at least 16/);
    expect(loadConfig({ ...real, DIGIFLAZZ_USERNAME: 'seller', DIGIFLAZZ_API_KEY: 'prod-key-123', DIGIFLAZZ_WEBHOOK_SECRET: 'x'.repeat(16) }).supplier).toMatchObject({ webhookSecret: 'x'.repeat(16) });
    expect(() => loadConfig({ ...real, DIGIFLAZZ_USERNAME: 'seller' })).toThrow(/DIGIFLAZZ_API_KEY: required with DIGIFLAZZ_USERNAME/);
    expect(() => loadConfig({ ...real, DIGIFLAZZ_API_KEY: 'prod-key-123' })).toThrow(/DIGIFLAZZ_USERNAME: required with DIGIFLAZZ_API_KEY/);
    // VIP-Reseller: its sandbox only beside Digiflazz's in the demo; never on a real store, with or without Digiflazz.
    expect(loadConfig({}).vip).toMatchObject({ kind: 'sandbox', url: 'http://127.0.0.1:3000/sandbox/vipreseller/api' });
    expect(loadConfig(real).vip.kind).toBe('none');
    expect(loadConfig({ ...real, DATABASE_URL: '' }).vip.kind).toBe('none');
    expect(loadConfig({ ...real, DIGIFLAZZ_USERNAME: 'seller', DIGIFLAZZ_API_KEY: 'prod-key-123' }).vip.kind).toBe('none');
    expect(loadConfig({ ...real, VIPRESELLER_API_ID: 'id1', VIPRESELLER_API_KEY: 'vip-key-123' }).vip).toMatchObject({ kind: 'vipreseller', url: 'https://vip-reseller.co.id/api' });
    expect(() => loadConfig({ ...real, VIPRESELLER_API_ID: 'id1' })).toThrow(/VIPRESELLER_API_ID and VIPRESELLER_API_KEY/);
  });

  it('never invents an admin for a real database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@y/z' }).adminNumbers).toEqual([]);
    expect(loadConfig({ ADMIN_NUMBERS: '6281234567890, 6282123456789' }).adminNumbers).toEqual(['6281234567890', '6282123456789']);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['WHATSAPP_TRANSPORT', 'telegram'],
    ['PAYMENT_EXPIRY_MINUTES', '0'],
    ['ADMIN_NUMBERS', '0812-abc'],
    ['LOCALE', 'fr'],
    ['MIDTRANS_IS_PRODUCTION', 'yes'],
    ['PUBLIC_URL', 'not a url'],
  ])('names %s when it is bad (%s)', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(name));
  });
});

describe.each(backends)('migration 013 on a store that already sells one text twice ($name)', (backend) => {
  it('takes the extra copies off sale, keeps the reserved one, renumbers the positions, and then refuses copies', async () => {
    const { db, drop } = await backend.open();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'kedai-mig13-'));
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const { rmSync } = await import('node:fs');
      for (const f of FILES.filter((f) => f >= '013')) rmSync(join(dir, f));
      await migrate(db, dir);
      // Before: DUP holds A, A, B, A, C on sale (positions 1–5); the second A is reserved by a pending order.
      await db.exec(`INSERT INTO products (code, name, price) VALUES ('DUP', 'Dup', 1000), ('ONE', 'One', 1000);
        INSERT INTO users (wa_id, name) VALUES ('6281111111111', 'x');
        UPDATE products SET stock_added = 5, stock_claimed = 1 WHERE code = 'DUP';
        UPDATE products SET stock_added = 1 WHERE code = 'ONE';`);
      const [{ id: order }] = (await db.query<{ id: string }>(
        `INSERT INTO orders (public_id, user_id, product_id, qty, unit_price, total, status, kind, payment_method, expires_at)
         SELECT 'KD-20990101-0000000A', u.id, p.id, 1, 1000, 1000, 'pending', 'purchase', 'gateway', now() + interval '1 hour' FROM users u, products p WHERE p.code = 'DUP' RETURNING id`,
      )) as [{ id: string }];
      await db.query(
        `INSERT INTO stock_items (product_id, payload, position, status, order_id)
         SELECT p.id, v.payload, v.pos, v.status, CASE WHEN v.status = 'reserved' THEN $1::bigint END
           FROM products p, (VALUES ('A', 2, 'available'), ('A', 1, 'reserved'), ('B', 3, 'available'), ('A', 4, 'available'), ('C', 5, 'available')) AS v(payload, pos, status)
          WHERE p.code = 'DUP'`,
        [order],
      );
      await db.exec(`INSERT INTO stock_items (product_id, payload, position) SELECT id, 'A', 1 FROM products WHERE code = 'ONE'`);
      expect(await migrate(db)).toEqual(FILES.filter((f) => f >= '013'));
      const rows = await db.query<{ payload: string; status: string; position: unknown }>(
        `SELECT s.payload, s.status, s.position FROM stock_items s JOIN products p ON p.id = s.product_id WHERE p.code = 'DUP' AND s.status <> 'removed' ORDER BY s.status, s.position`,
      );
      expect(rows.map((r) => [r.payload, r.status, r.status === 'available' ? Number(r.position) : null])).toEqual([
        ['B', 'available', 2],
        ['C', 'available', 3],
        ['A', 'reserved', null],
      ]);
      const { verifyInvariants } = await import('../src/adapters/postgres/verify.js');
      expect(await verifyInvariants(db)).toEqual([]);
      // Another product may sell the same text; this one may not put it on sale again.
      await expect(db.exec(`INSERT INTO stock_items (product_id, payload, position) SELECT id, 'A', 4 FROM products WHERE code = 'DUP'`)).rejects.toThrow(/stock_items_once_on_sale/);
    } finally {
      await drop();
    }
  });
});

describe(`migration 023 on a store with top-ups (${concurrentBackend.name})`, () => {
  it('gives every earlier top-up what it was sold as: its supplier order, else its product as synced, else no known supplier (refunded if paid, never guessed)', async () => {
    const { db, drop } = await concurrentBackend.open();
    try {
      const before = mkdtempSync(join(tmpdir(), 'kedai-mig-'));
      for (const f of FILES.filter((f) => f < '023')) cpSync(join(MIGRATIONS_DIR, f), join(before, f));
      await migrate(db, before);
      await db.query(`INSERT INTO users (wa_id) VALUES ('6281200000001')`);
      await db.query(`INSERT INTO products (code, name, price, supplier_sku) VALUES ('PULSA', 'Pulsa', 12000, 'xld10'), ('OLD', 'Old', 12000, NULL)`);
      await db.query(`INSERT INTO supplier_prices (supplier, sku, cost, active) VALUES ('digiflazz', 'xld10', 10200, true)`);
      const order = (ref: string, code: string, status: string) =>
        db.query(
          `INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, target, paid_at)
           SELECT $1, u.id, 'purchase', p.id, 1, 12000, 12000, 'gateway', $3, '087800001230', CASE WHEN $3 = 'paid' THEN now() END
             FROM users u, products p WHERE p.code = $2`,
          [ref, code, status],
        );
      await order('KD-20261201-00000001', 'PULSA', 'paid');
      await order('KD-20261201-00000002', 'PULSA', 'pending');
      await order('KD-20261201-00000003', 'OLD', 'expired');
      // The paid one was handed over at an older cost.
      await db.query(
        `INSERT INTO supplier_orders (order_id, supplier, ref_id, sku, customer_no, max_price) SELECT id, 'digiflazz', public_id, 'xld10', target, 9900 FROM orders WHERE public_id = 'KD-20261201-00000001'`,
      );
      await migrate(db);
      const rows = await db.query<{ public_id: string; supplier: string; supplier_sku: string; supplier_cost: unknown }>(
        `SELECT public_id, supplier, supplier_sku, supplier_cost FROM orders ORDER BY public_id`,
      );
      expect(rows.map((r) => [r.public_id.slice(-1), r.supplier, r.supplier_sku, Number(r.supplier_cost)])).toEqual([
        ['1', 'digiflazz', 'xld10', 9900],
        ['2', 'digiflazz', 'xld10', 10200],
        ['3', 'unknown', 'unknown', 1],
      ]);
      // And from now on a top-up must say what it was sold as.
      await expect(db.query(`UPDATE orders SET supplier_sku = NULL WHERE public_id = 'KD-20261201-00000002'`)).rejects.toThrow(/orders_topup_sold_as/);
    } finally {
      await drop();
    }
  });
});
