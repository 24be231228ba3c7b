import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { createStore } from '../src/adapters/postgres/store.js';
import type { Store } from '../src/app/ports.js';
import { postgres } from './helpers.js';

/**
 * Issue #34: the senders' last-seen times, written as a group (touch_seen, migration 038), never
 * hold up a purchase: a row a purchase holds is skipped, never waited for; a new buyer is inserted
 * alone, so a purchase inserting the same new buyer makes it wait, never a deadlock.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('last seen, many at once', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: Store;

  beforeAll(async () => {
    ({ db, drop } = await postgres.open());
    await migrate(db);
    store = createStore(db);
  });
  afterAll(async () => drop?.());

  const seen = async (waId: string) => (await db.query<{ name: string; seen: boolean }>(`SELECT name, last_seen_at > now() - interval '1 minute' AS seen FROM users WHERE wa_id = $1`, [waId]))[0];
  /** A transaction left open until `release()`: what a purchase in flight holds. */
  const holding = async (work: (sql: Pick<Database, 'query'>) => Promise<unknown>) => {
    let release!: () => void;
    let ready!: () => void;
    const held = new Promise<void>((r) => (ready = r));
    const done = db.transaction(async (sql) => {
      await work(sql);
      ready();
      await new Promise<void>((r) => (release = r));
    });
    await held;
    return { release: async () => (release(), await done) };
  };
  const within = <T>(ms: number, p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);

  it('writes new and known senders of one moment together: new ones with their name, known ones seen now', async () => {
    await db.query(`INSERT INTO users (wa_id, name, last_seen_at) SELECT '62851' || lpad(g::text, 6, '0'), 'Lama', now() - interval '3 days' FROM generate_series(1, 20) g`);
    const known = Array.from({ length: 20 }, (_, i) => `62851${String(i + 1).padStart(6, '0')}`);
    const fresh = Array.from({ length: 20 }, (_, i) => `62852${String(i + 1).padStart(6, '0')}`);
    await Promise.all([...known, ...fresh].map((w) => store.autocommit.users.touchSeen(w, 'Baru')));
    for (const w of known) expect(await seen(w)).toEqual({ name: 'Lama', seen: true });
    for (const w of fresh) expect(await seen(w)).toEqual({ name: 'Baru', seen: true });
  });

  it('skips a known buyer whose row a purchase holds, without waiting for it; the others are written', async () => {
    await db.query(`INSERT INTO users (wa_id, last_seen_at) VALUES ('6285300000001', now() - interval '3 days'), ('6285300000002', now() - interval '3 days')`);
    const purchase = await holding((sql) => sql.query(`SELECT 1 FROM users WHERE wa_id = '6285300000001' FOR UPDATE`));
    try {
      expect(await within(2_000, db.query(`SELECT * FROM touch_seen(ARRAY['6285300000001', '6285300000002', '6285300000003'])`))).toEqual([{ touch_seen: '6285300000003' }]);
      expect((await seen('6285300000002'))!.seen).toBe(true);
      expect((await seen('6285300000001'))!.seen).toBe(false);
    } finally {
      await purchase.release();
    }
  });

  it('a new buyer a purchase is inserting: written alone once the purchase commits, its name kept', async () => {
    const purchase = await holding((sql) => sql.query(`INSERT INTO users (wa_id, name) VALUES ('6285400000001', 'Pembeli')`));
    try {
      const touched = store.autocommit.users.touchSeen('6285400000001', 'X');
      await new Promise((r) => setTimeout(r, 400));
      expect(await seen('6285400000001')).toBeUndefined();
      await purchase.release();
      await within(5_000, touched);
    } finally {
      await purchase.release().catch(() => undefined);
    }
    expect(await seen('6285400000001')).toEqual({ name: 'Pembeli', seen: true });
  });
});
