import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import type { WebChatTransport } from '../src/adapters/whatsapp/webchat.js';
import { ADMIN, concurrentBackend, freePort, orderIdIn, startKedai, stockProduct, type Harness } from './helpers.js';
import { startFakeMidtrans } from './fakes/midtrans.js';
import { waitFor } from './processes.js';

describe(`the payment inbox (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let seq = 0;
  const buyer = () => `628500000${String(++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    h = await startKedai(concurrentBackend, { PORT: String(port), ...fake.env, MIDTRANS_TIMEOUT_MS: '300', MIDTRANS_BREAKER_THRESHOLD: '1000' });
    await stockProduct(h, 'INB', 1_000, Array.from({ length: 10 }, (_, i) => `INB-${i}`));
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.close();
  });
  beforeEach(() => fake.setDown(false));

  const deliveries = async (b: string) => (await h.sentTo(b)).filter((t) => t.includes('INB-'));
  const pending = async () => {
    const b = buyer();
    await h.chat(b, '.buynow INB');
    return { b, orderId: orderIdIn(await h.last(b)) };
  };

  it('keeps an event it cannot apply yet, and applies it once the gateway answers again', async () => {
    const { b, orderId } = await pending();
    await fake.sandbox.setStatus(orderId, 'settlement', false);
    fake.setDown(true); // Get Status fails: the event must wait, not vanish
    expect((await h.post('/webhooks/midtrans', fake.sandbox.notification(orderId))).status).toBe(200);
    await h.kedai.settle();
    const waiting = await h.one<{ applied_at: unknown; attempts: unknown; last_error: string }>(
      `SELECT applied_at, attempts, last_error FROM payment_events WHERE order_ref = $1`,
      [orderId],
    );
    expect(waiting.applied_at).toBeNull();
    expect(Number(waiting.attempts)).toBeGreaterThanOrEqual(1);
    expect(waiting.last_error).toMatch(/503|unreachable|circuit/);
    expect(await deliveries(b)).toHaveLength(0);

    fake.setDown(false);
    await h.db.query(`UPDATE payment_events SET next_attempt_at = now() WHERE applied_at IS NULL`); // skip the backoff wait
    await h.kedai.settle();
    expect(await deliveries(b)).toHaveLength(1);
  });

  it('gives duplicate and out-of-order notifications, all at once, exactly one effect', async () => {
    const { b, orderId } = await pending();
    await fake.sandbox.setStatus(orderId, 'settlement', false);
    const settlement = fake.sandbox.notification(orderId);
    const late = [fake.sandbox.notification(orderId, 'pending'), fake.sandbox.notification(orderId, 'expire')];
    const posts = [settlement, settlement, ...late, settlement, late[0]!].map((body) => h.post('/webhooks/midtrans', body));
    expect((await Promise.all(posts)).every((r) => r.status === 200)).toBe(true);
    await h.kedai.settle();
    expect(await deliveries(b)).toHaveLength(1);
    expect(await h.one(`SELECT status FROM orders WHERE public_id = $1`, [orderId])).toEqual({ status: 'delivered' });
    expect(Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM payment_events WHERE order_ref = $1`, [orderId])).n)).toBe(3);
  });
});

describe(`a crash between storing and applying (${concurrentBackend.name})`, () => {
  it('applies the stored event on restart, and delivers once', async () => {
    const { db, drop } = await concurrentBackend.open();
    const log = createLogger({ level: 'silent', pretty: false });
    const port = await freePort();
    try {
      const configOn = (p: number) => loadConfig({ PORT: String(p), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused', WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true', RATE_LIMIT_CMD_PER_MIN: '1000' });
      const config = configOn(port);
      const first = await createKedai(config, { log, db });
      // This life stores notifications but dies before its worker applies any.
      first.paymentEventWorker.start = () => undefined;
      first.paymentEventWorker.kick = () => undefined;
      await first.start();
      const chat = async (from: string, text: string) => {
        (first.transport as WebChatTransport).receive(from, '', text);
        await first.settle();
      };
      await chat(ADMIN, '.addproduk CRASH|Crash|1000');
      await chat(ADMIN, '.addstok CRASH\nCRASH-GOODS-1');
      const b = '6285999000001';
      await chat(b, '.buynow CRASH');
      const orderId = orderIdIn((first.transport as WebChatTransport).messages(b).at(-1)!.text);
      await first.sandbox!.setStatus(orderId, 'settlement'); // posts the signed notification: stored, 200
      expect(await db.query(`SELECT applied_at FROM payment_events WHERE order_ref = $1`, [orderId])).toEqual([{ applied_at: null }]);
      // The sandbox lives in the process; the next life gets a new one that must know the order.
      const tx = first.sandbox!.transactions.get(orderId)!;
      await first.stop();

      // A new port: the old one may already belong to another test by now.
      const second = await createKedai(configOn(await freePort()), { log, db });
      second.sandbox!.transactions.set(orderId, tx);
      await second.start();
      await second.settle();
      const goods = (second.transport as WebChatTransport).messages(b).filter((m) => m.text.includes('CRASH-GOODS-1'));
      expect(goods).toHaveLength(1);
      expect(await db.query(`SELECT status FROM orders WHERE public_id = $1`, [orderId])).toEqual([{ status: 'delivered' }]);
      await second.stop();
    } finally {
      await drop();
    }
  });
});

describe(`the payment inbox applies orders side by side (${concurrentBackend.name})`, () => {
  it("a settlement waiting on a slow Get Status does not hold back another order's settlement", async () => {
    const port = await freePort();
    const fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    const h = await startKedai(concurrentBackend, { PORT: String(port), ...fake.env });
    try {
      await stockProduct(h, 'SIDE', 1_000, ['SIDE-1', 'SIDE-2']);
      const [slow, quick] = ['6285800000001', '6285800000002'];
      const orders: string[] = [];
      for (const b of [slow, quick]) {
        await h.chat(b, '.buynow SIDE');
        orders.push(orderIdIn(await h.last(b)));
      }
      const [slowOrder, quickOrder] = orders as [string, string];
      let release = () => {};
      fake.faults.push({ route: 'status', kind: 'late', until: new Promise<void>((r) => (release = r)) });
      await fake.sandbox.setStatus(slowOrder, 'settlement'); // stored and answered; the worker's Get Status now hangs
      await waitFor("the slow order's Get Status", async () => fake.calls.status >= 1);

      await fake.sandbox.setStatus(quickOrder, 'settlement');
      const goods = async (b: string) => (await h.sentTo(b)).filter((t) => t.includes('SIDE-'));
      await waitFor("the quick order's goods", async () => (await goods(quick)).length === 1);
      expect(await h.one(`SELECT status FROM orders WHERE public_id = $1`, [slowOrder])).toEqual({ status: 'pending' });

      release();
      await h.kedai.settle();
      expect(await goods(slow)).toHaveLength(1);
      expect(await goods(quick)).toHaveLength(1);
    } finally {
      await h.stop();
      await fake.close();
    }
  });
});
