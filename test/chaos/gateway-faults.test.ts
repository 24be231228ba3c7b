import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { concurrentBackend, freePort, orderIdIn, startKedai, stockProduct, type Harness, said } from '../helpers.js';
import { FAKE_KEY, startFakeMidtrans } from '../fakes/midtrans.js';
import { midtransGateway } from '../../src/adapters/midtrans/client.js';

describe(`Midtrans faults (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let seq = 0;
  const buyer = () => `628400000${String(++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    h = await startKedai(concurrentBackend, {
      PORT: String(port),
      ...fake.env,
      MIDTRANS_TIMEOUT_MS: '300',
      MIDTRANS_ATTEMPTS: '3',
      MIDTRANS_BREAKER_THRESHOLD: '3',
      MIDTRANS_BREAKER_COOLDOWN_MS: '600',
    });
    await stockProduct(h, 'FLT', 1_000, Array.from({ length: 20 }, (_, i) => `FLT-${i}`));
  });
  afterAll(async () => {
    // Whatever the gateway did, money and stock are consistent.
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
    await fake?.close();
  });
  beforeEach(() => {
    fake.faults.length = 0;
    fake.setDown(false);
  });

  /** The production adapter on its own, against the fake. */
  const gatewayOnFake = () =>
    midtransGateway({ serverKey: FAKE_KEY, snapUrl: fake.env.MIDTRANS_SNAP_URL, apiUrl: fake.env.MIDTRANS_API_URL, timeoutMs: 300, attempts: 3, retryBaseMs: 10 });
  const txOf = (orderId: string) => [...fake.sandbox.transactions.values()].filter((t) => t.orderId === orderId);
  const order = (buyerId: string) =>
    h.one<{ public_id: string; status: string; items: unknown }>(
      `SELECT o.public_id, o.status, (SELECT count(*) FROM stock_items s WHERE s.order_id = o.id) AS items
         FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 ORDER BY o.id DESC LIMIT 1`,
      [buyerId],
    );

  it('retries a Snap create that fails twice: one link, one gateway transaction', async () => {
    const b = buyer();
    fake.faults.push({ route: 'snap', kind: 500 }, { route: 'snap', kind: 'reset' });
    const before = fake.calls.snap;
    await h.chat(b, '.buynow FLT');
    const orderId = orderIdIn(await h.last(b));
    expect(await h.last(b)).toContain('Bayar di sini');
    expect(fake.calls.snap - before).toBe(3);
    expect(txOf(orderId)).toHaveLength(1);
    expect(await order(b)).toMatchObject({ status: 'pending' });
  });

  it('does not retry a 4xx', async () => {
    const b = buyer();
    fake.faults.push({ route: 'snap', kind: 400 });
    const before = fake.calls.snap;
    await h.chat(b, '.buynow FLT');
    expect(fake.calls.snap - before).toBe(1);
    expect(await h.last(b)).toBe(said('PAYMENT_UNAVAILABLE'));
  });

  it('a lost Snap answer: the retry gets a new token for the same transaction, as real Snap gives one, and the buyer a working link', async () => {
    const b = buyer();
    fake.faults.push({ route: 'snap', kind: 'late', ms: 800 });
    await h.chat(b, '.buynow FLT');
    const o = await order(b);
    expect(txOf(o.public_id)).toHaveLength(1); // one transaction, whichever attempt made it
    expect(o).toMatchObject({ status: 'pending' });
    expect(await h.last(b)).toContain(`/redirection/${txOf(o.public_id)[0]!.token}`);
    await h.chat(b, '.batal');
  });

  it('never makes a second transaction when a QRIS answer is lost: the retry hears "order_id taken" and gives up', async () => {
    const gateway = gatewayOnFake();
    const orderId = `KD-QRIS-${++seq}`;
    fake.faults.push({ route: 'charge', kind: 'late', ms: 800 });
    const req = { orderId, amount: 1_000, items: [{ id: 'FLT', name: 'Flt', price: 1_000, quantity: 1 }], customer: { name: 'B', phone: '628400000999' }, startTime: new Date(), expiryMinutes: 15 };
    await expect(gateway.createQris(req)).rejects.toMatchObject({ status: 409 });
    expect(txOf(orderId)).toHaveLength(1);
  });

  it('reads failures in the body as the official client does, and sends JSON headers on every call', async () => {
    const gateway = gatewayOnFake();
    const b = buyer();
    await h.chat(b, '.buynow FLT');
    const orderId = orderIdIn(await h.last(b));
    await fake.sandbox.setStatus(orderId, 'pending', false);
    // HTTP 200 with "status_code": "412" in the body: the cancel did not happen (the payment went through), not a success.
    fake.faults.push({ route: 'cancel', kind: 'body', code: 412 });
    expect(await gateway.cancel(orderId)).toBe('too_late');
    expect(txOf(orderId)[0]!.status).toBe('pending');
    // A 5xx in the body is worth a retry like an HTTP 5xx; the retry cancels it.
    fake.faults.push({ route: 'cancel', kind: 'body', code: 503 });
    await gateway.cancel(orderId);
    expect(txOf(orderId)[0]!.status).toBe('cancel');
    // Get Status: an expired transaction answers "407" in the body, and is a status, not a failure.
    await fake.sandbox.setStatus(orderId, 'expire', false);
    expect(await gateway.getStatus(orderId)).toMatchObject({ transactionStatus: 'expire' });
    fake.faults.push({ route: 'status', kind: 'body', code: 401 });
    await expect(gateway.getStatus(orderId)).rejects.toMatchObject({ status: 401 });
    const sent = fake.headers.slice(-6);
    expect(sent.map((x) => [x.route, x.contentType, x.accept])).toEqual(sent.map((x) => [x.route, 'application/json', 'application/json']));
    expect(new Set(sent.map((x) => x.method))).toEqual(new Set(['GET', 'POST']));
    await h.kedai.settle();
  });

  it('always failing: order failed, items back, lock free, buyer told; the breaker opens, then closes', async () => {
    const b = buyer();
    const available = async () => Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'available'`)).n);
    const stock = await available();
    fake.setDown(true);
    await h.chat(b, '.buynow FLT');
    expect(await h.last(b)).toBe(said('PAYMENT_UNAVAILABLE'));
    expect(await order(b)).toMatchObject({ status: 'failed' });
    expect(await available()).toBe(stock);

    // Open: the next buyer is answered without a call to Midtrans.
    const breaker = async () => /^kedai_gateway_breaker_open (\d)/m.exec(await (await fetch(`${h.url}/metrics`)).text())?.[1];
    expect(await breaker()).toBe('1');
    const calls = fake.calls.snap;
    await h.chat(b, '.buynow FLT'); // the lock is free: not "in progress"
    expect(await h.last(b)).toBe(said('PAYMENT_UNAVAILABLE'));
    expect(fake.calls.snap).toBe(calls); // no call, so no timeout was waited for

    // Midtrans recovers; after the cool-down one trial call closes the breaker.
    fake.setDown(false);
    await new Promise((r) => setTimeout(r, 700));
    await h.chat(b, '.buynow FLT');
    expect(await h.last(b)).toContain('Bayar di sini');
    expect(await order(b)).toMatchObject({ status: 'pending' });
    expect(await breaker()).toBe('0');
    await h.chat(b, '.batal');
  });

  it('retries Get Status while confirming a settlement', async () => {
    const b = buyer();
    await h.chat(b, '.buynow FLT');
    const orderId = orderIdIn(await h.last(b));
    await fake.sandbox.setStatus(orderId, 'settlement', false);
    fake.faults.push({ route: 'status', kind: 503 }, { route: 'status', kind: 'reset' });
    const res = await h.post('/webhooks/midtrans', fake.sandbox.notification(orderId));
    expect(res.status).toBe(200);
    await h.kedai.settle();
    expect((await h.sentTo(b)).filter((t) => t.includes('FLT-'))).toHaveLength(1);
  });
});
