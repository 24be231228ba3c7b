import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import type { WebChatTransport } from '../src/adapters/whatsapp/webchat.js';
import { ADMIN, concurrentBackend, freePort, orderIdIn, startKedai, stockProduct, type Harness, said } from './helpers.js';
import { startFakeMidtrans } from './fakes/midtrans.js';

describe(`expiry and reconciliation (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let seq = 0;

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    h = await startKedai(concurrentBackend, { PORT: String(port), ...fake.env });
    await stockProduct(h, 'EXP', 2_000, Array.from({ length: 10 }, (_, i) => `EXP-${i}`));
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.close();
  });

  const available = async () => Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'available'`)).n);
  const status = async (orderId: string) => (await h.one<{ status: string }>(`SELECT status FROM orders WHERE public_id = $1`, [orderId])).status;
  async function overdueOrder(gatewayStatus: string | null) {
    const b = `628600000${String(++seq).padStart(4, '0')}`;
    await h.chat(b, '.buynow EXP');
    const orderId = orderIdIn(await h.last(b));
    if (gatewayStatus) await fake.sandbox.setStatus(orderId, gatewayStatus, false); // no notification reaches kedai
    await h.db.query(`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE public_id = $1`, [orderId]);
    return { b, orderId };
  }
  const sweep = async () => {
    h.kedai.sweeper.kick();
    await h.kedai.sweeper.idle();
    await h.kedai.settle();
  };

  it('expires an overdue order the gateway still calls pending: cancelled there, items back, buyer told, lock free', async () => {
    const before = await available();
    const { b, orderId } = await overdueOrder('pending');
    expect(await available()).toBe(before - 1);
    await sweep();
    expect(await status(orderId)).toBe('expired');
    expect(await available()).toBe(before);
    expect(fake.sandbox.transactions.get(orderId)!.status).toBe('cancel');
    expect(await h.last(b)).toContain('kedaluwarsa');
    await h.chat(b, '.buynow EXP');
    expect(orderIdIn(await h.last(b))).not.toBe(orderId);
    await h.chat(b, '.batal');
  });

  it('expires an overdue order the buyer never opened (Get Status 404)', async () => {
    const { orderId } = await overdueOrder(null);
    await sweep();
    expect(await status(orderId)).toBe('expired');
  });

  it('delivers instead when the gateway says it was paid (the notification was lost)', async () => {
    const { b, orderId } = await overdueOrder('settlement');
    await sweep();
    expect(await status(orderId)).toBe('delivered');
    expect((await h.sentTo(b)).filter((t) => t.includes('EXP-'))).toHaveLength(1);
  });

  it('leaves orders that are not due alone', async () => {
    const b = `628600000${String(++seq).padStart(4, '0')}`;
    await h.chat(b, '.buynow EXP');
    const orderId = orderIdIn(await h.last(b));
    await sweep();
    expect(await status(orderId)).toBe('pending');
    await h.chat(b, '.batal');
  });

  /** A pending order as a process leaves it that died between the order's commit and its payment link. */
  async function linklessOrder() {
    const b = `628600000${String(++seq).padStart(4, '0')}`;
    await h.chat(b, '.buynow EXP');
    const orderId = orderIdIn(await h.last(b));
    await h.db.query(`UPDATE orders SET payment_url = NULL, payment_token = NULL, created_at = now() - interval '2 minutes' WHERE public_id = $1`, [orderId]);
    return { b, orderId, sent: (await h.sentTo(b)).length };
  }

  const recover = async () => {
    h.kedai.linkRecovery.kick();
    await h.kedai.linkRecovery.idle();
    await h.kedai.settle();
  };

  it('gives an order the process left without its payment link a link within seconds, not at expiry', async () => {
    const { b, orderId, sent } = await linklessOrder();
    await recover();
    const after = (await h.sentTo(b)).slice(sent);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain(orderId);
    expect(after[0]).toContain(`/redirection/${fake.sandbox.transactions.get(orderId)!.token}`); // the working token
    expect(await status(orderId)).toBe('pending');
    expect((await h.one<{ payment_url: string | null }>(`SELECT payment_url FROM orders WHERE public_id = $1`, [orderId])).payment_url).toContain('/redirection/');
    await h.chat(b, '.batal');
  });

  it('closes such an order when the gateway cannot give a link: items back, the buyer told, free to buy again', async () => {
    const before = await available();
    const { b, orderId, sent } = await linklessOrder();
    fake.faults.push({ route: 'snap', kind: 400 });
    await recover();
    expect(await status(orderId)).toBe('failed');
    expect(await available()).toBe(before);
    expect((await h.sentTo(b)).slice(sent).join('\n')).toContain('gagal dibuat');
    await h.chat(b, '.buynow EXP');
    expect(await h.last(b)).toContain('Bayar di sini');
    await h.chat(b, '.batal');
  });

  it('.cekbayar re-checks a pending order with the gateway and applies a missed settlement', async () => {
    const b = `628600000${String(++seq).padStart(4, '0')}`;
    await h.chat(b, '.buynow EXP');
    const orderId = orderIdIn(await h.last(b));
    await fake.sandbox.setStatus(orderId, 'settlement', false);
    await h.chat(b, `.cekbayar ${orderId}`);
    expect(await h.last(b)).toBe(said('NOT_ADMIN'));
    await h.chat(ADMIN, `.cekbayar ${orderId}`);
    expect(await h.last(ADMIN)).toContain(`${orderId}: dibayar`);
    await h.kedai.settle();
    expect(await status(orderId)).toBe('delivered');
    await h.chat(ADMIN, '.cekbayar');
    expect(await h.last(ADMIN)).toBe(said('NO_PENDING_ORDER'));
  });
});

describe(`reconciliation at start-up (${concurrentBackend.name})`, () => {
  it('delivers an order that was paid while kedai was down', async () => {
    const { db, drop } = await concurrentBackend.open();
    const port = await freePort();
    const fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    const log = createLogger({ level: 'silent', pretty: false });
    try {
      const configOn = (p: number) => loadConfig({ PORT: String(p), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused', WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true', ...fake.env });
      const config = configOn(port);
      const first = await createKedai(config, { log, db });
      await first.start();
      const say = async (from: string, text: string) => {
        (first.transport as WebChatTransport).receive(from, '', text);
        await first.settle();
      };
      await say(ADMIN, '.addproduk DOWN|Down|3000');
      await say(ADMIN, '.addstok DOWN\nDOWN-GOODS');
      const b = '6286999000001';
      await say(b, '.buynow DOWN');
      const orderId = orderIdIn((first.transport as WebChatTransport).messages(b).at(-1)!.text);
      await first.stop();
      await fake.sandbox.setStatus(orderId, 'settlement'); // kedai is down: the notification is lost

      // A new port: the old one may already belong to another test by now.
      const second = await createKedai(configOn(await freePort()), { log, db });
      await second.start();
      await second.settle();
      expect((second.transport as WebChatTransport).messages(b).filter((m) => m.text.includes('DOWN-GOODS'))).toHaveLength(1);
      await second.stop();
    } finally {
      await fake.close();
      await drop();
    }
  });
});
