import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/postgres/db.js';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { ADMIN, orderIdIn, postgres } from '../helpers.js';
import { startFakeMidtrans } from '../fakes/midtrans.js';
import { startFakeDigiflazz } from '../fakes/digiflazz.js';
import { sleep, spawnKedai, waitFor, type KedaiProcess } from '../processes.js';

/**
 * The real kedai process (`npm start`: dist/main.js) on a real PostgreSQL database,
 * SIGKILLed right after Midtrans' settlement was answered 200 and before the
 * goods could be sent, then started again. It needs the server (CI always has
 * one): the test must read the database while another process owns it, which
 * embedded PGlite (one process) cannot allow.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('kedai SIGKILLed between payment and delivery', () => {
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let supplier: Awaited<ReturnType<typeof startFakeDigiflazz>>;
  let dbUrl: string;
  let drop: () => Promise<void>;
  let db: Database;
  let kedai: KedaiProcess | null = null;

  const start = async () => {
    kedai = await spawnKedai({ DATABASE_URL: dbUrl, WHATSAPP_TRANSPORT: 'webchat', RATE_LIMIT_BUY_PER_MIN: '100', ...fake.env, ...supplier.env, DIGIFLAZZ_TIMEOUT_MS: '5000' });
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
    supplier = await startFakeDigiflazz(() => (kedai ? `${kedai.url}/webhooks/digiflazz` : null));
  }, 60_000);
  afterAll(async () => {
    await kedai?.stop('SIGKILL');
    await fake?.close();
    await supplier?.close();
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

  it("a top-up: SIGKILLed after the supplier did it and before its Sukses came back; after the restart one SN message, one supplier transaction", async () => {
    await start();
    const buyer = '6289800000002';
    await send(ADMIN, '.addproduk KTOP|Kill top-up|12000');
    await waitFor('product', async () => (await db.query(`SELECT 1 FROM products WHERE code = 'KTOP'`)).length > 0);
    await send(ADMIN, '.setsku KTOP xld10');
    await waitFor('sku', async () => (await db.query(`SELECT 1 FROM products WHERE code = 'KTOP' AND supplier_sku = 'xld10'`)).length > 0);
    await send(ADMIN, `.addsaldo ${buyer} 50000`);
    await waitFor('credit', async () => (await db.query(`SELECT 1 FROM users WHERE wa_id = $1 AND balance = 50000`, [buyer])).length > 0);
    // The supplier does it at once and answers late: kedai dies while the answer is on its way.
    supplier.sandbox.delayMs = 1_500;
    await send(buyer, '.buy KTOP 087800001230');
    await waitFor('the supplier has it', async () => supplier.sandbox.transactions.size > 0);
    await kedai!.stop('SIGKILL');
    supplier.sandbox.delayMs = 0;
    const [ref] = [...supplier.sandbox.transactions.keys()];
    expect(await db.query(`SELECT o.status, so.status AS supplier FROM orders o JOIN supplier_orders so ON so.order_id = o.id WHERE o.public_id = $1`, [ref])).toEqual([
      { status: 'paid', supplier: 'queued' },
    ]);

    await start();
    // The dead process's lease (the timeout + 15 s) runs out, then the next round asks again with the same ref_id.
    await waitFor('the SN sent', async () => (await outbox(buyer)).some((m) => m.body.includes('SN: ') && m.status === 'sent'), 60_000);
    await sleep(300);
    expect((await outbox(buyer)).filter((m) => m.body.includes('SN: '))).toHaveLength(1);
    expect(supplier.sandbox.transactions.size).toBe(1);
    expect(supplier.sandbox.transactions.get(ref!)?.calls).toBe(2);
    expect(await db.query(`SELECT balance FROM users WHERE wa_id = $1`, [buyer])).toEqual([{ balance: '38000' }]);
    expect(await verifyInvariants(db)).toEqual([]);
    await kedai!.stop();
  }, 120_000);
});
