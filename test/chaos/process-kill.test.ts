import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/postgres/db.js';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { ADMIN, orderIdIn, postgres } from '../helpers.js';
import { startFakeMidtrans } from '../fakes/midtrans.js';
import { sleep, spawnKedai, waitFor, type KedaiProcess } from '../processes.js';

/**
 * The real kedai process (`tsx src/main.ts`) on a real PostgreSQL database,
 * SIGKILLed right after Midtrans' settlement was answered 200 and before the
 * goods could be sent, then started again. It needs the server (CI always has
 * one): the test must read the database while another process owns it, which
 * embedded PGlite (one process) cannot allow.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('kedai SIGKILLed between payment and delivery', () => {
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let dbUrl: string;
  let drop: () => Promise<void>;
  let db: Database;
  let kedai: KedaiProcess | null = null;

  const start = async () => {
    kedai = await spawnKedai({ DATABASE_URL: dbUrl, WHATSAPP_TRANSPORT: 'webchat', RATE_LIMIT_BUY_PER_MIN: '100', ...fake.env });
  };
  const send = (from: string, text: string) =>
    fetch(`${kedai!.url}/chat/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
  const outbox = (to: string) => db.query<{ body: string; status: string }>(`SELECT body, status FROM outbox WHERE recipient = $1 ORDER BY id`, [to]);

  beforeAll(async () => {
    const made = await postgres.open();
    dbUrl = made.url!;
    drop = made.drop;
    db = made.db;
    fake = await startFakeMidtrans(() => `${kedai!.url}/webhooks/midtrans`);
  }, 60_000);
  afterAll(async () => {
    await kedai?.stop('SIGKILL');
    await fake?.close();
    await drop?.();
  });

  it('delivers once after the restart, and the invariants hold', async () => {
    await start();
    const buyer = '6289800000001';
    await send(ADMIN, '.addproduk KILL|Kill test|9000');
    await waitFor('product', async () => (await db.query(`SELECT 1 FROM products WHERE code = 'KILL'`)).length > 0);
    await send(ADMIN, '.addstok KILL\nKILL-GOODS-1\nKILL-GOODS-2');
    await waitFor('stock', async () => (await db.query(`SELECT 1 FROM stock_items`)).length === 2);
    await send(buyer, '.buynow KILL');
    await waitFor('payment link', async () => (await outbox(buyer)).some((m) => m.body.includes('KD-')));
    const orderId = orderIdIn((await outbox(buyer)).find((m) => m.body.includes('KD-'))!.body);

    // Midtrans calls, kedai stores the event and answers 200 — and dies at once.
    await fake.sandbox.setStatus(orderId, 'settlement', false);
    const res = await fetch(`${kedai!.url}/webhooks/midtrans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fake.sandbox.notification(orderId)),
    });
    const killed = kedai!.stop('SIGKILL');
    expect(res.status).toBe(200);
    await killed;

    await start(); // on a new port: the old one may belong to another test by now
    await waitFor('delivery sent', async () => (await outbox(buyer)).some((m) => m.body.includes('KILL-GOODS-1') && m.status === 'sent'));
    await sleep(300);
    expect((await outbox(buyer)).filter((m) => m.body.includes('KILL-GOODS-1'))).toHaveLength(1);
    expect(await db.query(`SELECT status FROM orders WHERE public_id = $1`, [orderId])).toEqual([{ status: 'delivered' }]);
    expect(await verifyInvariants(db)).toEqual([]);
    await kedai!.stop();
  }, 60_000);
});
