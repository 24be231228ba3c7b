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
