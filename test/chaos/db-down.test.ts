import pg from 'pg';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concurrentBackend, startKedai, stockProduct, orderIdIn, type Harness } from '../helpers.js';

/**
 * A real outage: on the server, the database stops accepting connections and the
 * pool's connections are killed; on PGlite, the database is closed.
 */
describe(`database down on ${concurrentBackend.name}`, () => {
  let h: Harness;
  let dbName: string | null = null;
  beforeAll(async () => {
    h = await startKedai(concurrentBackend);
    await stockProduct(h, 'DOWN', 10_000, ['down-item']);
    const [row] = await h.db.query<{ db: string }>('SELECT current_database() AS db');
    dbName = concurrentBackend.name === 'postgres' ? row!.db : null;
  });
  afterAll(async () => {
    if (dbName) await admin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    await h?.stop().catch(() => undefined);
  });

  async function admin(sql: string) {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  }

  it('tells the buyer to try again, answers Midtrans 503, and changes nothing', async () => {
    const buyer = '6281500000001';
    await h.chat(buyer, '.buynow DOWN');
    const orderId = orderIdIn(await h.last(buyer));
    await h.kedai.sandbox!.setStatus(orderId, 'settlement', false);
    const notification = h.kedai.sandbox!.notification(orderId);

    if (dbName) {
      await admin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`);
    } else {
      await h.db.close();
    }

    await h.post('/chat/api/send', { from: buyer, text: '.produk' });
    await h.kedai.bot.idle();
    expect(await h.last(buyer)).toContain('sistem sedang gangguan');
    expect((await h.post('/webhooks/midtrans', notification)).status).toBe(503);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);

    if (!dbName) return; // a closed PGlite does not come back; the server case shows the recovery
    await admin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    // Midtrans retries; now the event is stored and applied, once.
    expect((await h.post('/webhooks/midtrans', notification)).status).toBe(200);
    await h.kedai.settle();
    expect((await h.sentTo(buyer)).filter((t) => t.includes('down-item'))).toHaveLength(1);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    expect(await verifyInvariants(h.db)).toEqual([]);
  });
});

describe.runIf(concurrentBackend.name === 'postgres')('a connection ended by the server in the middle of a transaction', () => {
  it('fails that transaction, does not crash the process, and the next transaction gets a live connection', async () => {
    const made = await concurrentBackend.open();
    const db = made.db;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const tx = db.transaction(async (sql) => {
        const [me] = await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [me!.pid]);
        await new Promise((r) => setTimeout(r, 200)); // the 'error' event arrives while the client is checked out
        await sql.query('SELECT 1');
      });
      await expect(tx).rejects.toThrow();
      // The dead client was discarded, not pooled: every following transaction works.
      for (let i = 0; i < 12; i++) expect(await db.transaction((sql) => sql.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await made.drop();
    }
  });
});
