import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationSignature } from '../src/adapters/midtrans/signature.js';
import { ADMIN, backends, orderIdIn, startKedai, stockProduct, type Harness, said } from './helpers.js';

describe.each(backends)('Midtrans notifications on $name', (backend) => {
  let h: Harness;
  let buyerSeq = 0;
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'VCR', 10_000, Array.from({ length: 30 }, (_, i) => `VOUCHER-${i + 1}`));
  });
  afterAll(async () => h?.stop());

  const count = async (sql: string, params: unknown[] = []) => Number((await h.one<{ n: unknown }>(sql, params)).n);
  const orderState = (orderId: string) =>
    h.one<{ status: string; items: unknown }>(
      `SELECT o.status, (SELECT count(*) FROM stock_items s WHERE s.order_id = o.id) AS items FROM orders o WHERE public_id = $1`,
      [orderId],
    );
  const available = () => count(`SELECT count(*) AS n FROM stock_items WHERE status = 'available'`);

  /** A fresh buyer with a pending link order for one VCR. */
  async function pendingOrder(): Promise<{ buyer: string; orderId: string }> {
    const buyer = `62813000000${String(++buyerSeq).padStart(2, '0')}`;
    await h.chat(buyer, '.buynow VCR');
    return { buyer, orderId: orderIdIn(await h.last(buyer)) };
  }
  const sandbox = () => h.kedai.sandbox!;
  const deliveries = async (buyer: string) => (await h.sentTo(buyer)).filter((t) => t.includes('VOUCHER-'));

  it('delivers once when the same settlement arrives 5 times at once', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'settlement', false);
    const body = sandbox().notification(orderId);
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.post('/webhooks/midtrans', body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => (a.body as { stored: boolean }).stored)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM payment_events WHERE order_ref = $1`, [orderId])).toBe(1);
    await h.kedai.settle();
    expect(await deliveries(buyer)).toHaveLength(1);
    expect(await orderState(orderId)).toMatchObject({ status: 'delivered' });
    expect(await count(`SELECT count(*) AS n FROM outbox o JOIN orders r ON r.id = o.order_id WHERE r.public_id = $1 AND o.kind = 'delivery'`, [orderId])).toBe(1);
  });

  it('rejects a forged signature and changes nothing', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'settlement', false);
    const body = { ...sandbox().notification(orderId) };
    body.signature_key = notificationSignature(orderId, body.status_code!, body.gross_amount!, 'SB-Mid-server-attacker-key');
    const res = await h.post('/webhooks/midtrans', body);
    expect(res.status).toBe(401);
    const unsigned = await h.post('/webhooks/midtrans', { ...body, signature_key: undefined });
    expect(unsigned.status).toBe(400);
    expect(await orderState(orderId)).toMatchObject({ status: 'pending' });
    expect(await count(`SELECT count(*) AS n FROM payment_events WHERE order_ref = $1`, [orderId])).toBe(0);
    expect(await deliveries(buyer)).toHaveLength(0);
    await h.chat(buyer, '.batal');
  });

  it('sets aside a correctly signed notification whose amount does not match the order', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'settlement', false);
    const body: Record<string, string> = { ...sandbox().notification(orderId), gross_amount: '1000.00' };
    body.signature_key = notificationSignature(orderId, body.status_code!, '1000.00', sandbox().serverKey);
    const res = await h.post('/webhooks/midtrans', body);
    expect(res.status).toBe(200); // stored for the operator, with no effect
    await h.kedai.settle();
    expect(await orderState(orderId)).toMatchObject({ status: 'pending' });
    expect(await count(`SELECT count(*) AS n FROM payment_events WHERE order_ref = $1 AND flag = 'amount_mismatch'`, [orderId])).toBe(1);
    expect(await deliveries(buyer)).toHaveLength(0);
    await h.chat(buyer, '.batal');
  });

  it('lets the genuine notification through after a flagged one with the same transaction and status', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'settlement', false);
    const forgedAmount: Record<string, string> = { ...sandbox().notification(orderId), gross_amount: '1000.00' };
    forgedAmount.signature_key = notificationSignature(orderId, forgedAmount.status_code!, '1000.00', sandbox().serverKey);
    expect((await h.post('/webhooks/midtrans', forgedAmount)).status).toBe(200);
    await h.kedai.settle();
    expect(await count(`SELECT count(*) AS n FROM payment_events WHERE order_ref = $1 AND flag = 'amount_mismatch'`, [orderId])).toBe(1);
    // The genuine settlement has the same transaction id and status: it must not be answered "duplicate".
    const genuine = await h.post('/webhooks/midtrans', sandbox().notification(orderId));
    expect(genuine.body).toMatchObject({ stored: true, duplicate: false });
    await h.kedai.settle();
    expect(await orderState(orderId)).toMatchObject({ status: 'delivered' });
    expect(await deliveries(buyer)).toHaveLength(1);
    // Once applied, a replay is a duplicate again.
    expect((await h.post('/webhooks/midtrans', sandbox().notification(orderId))).body).toMatchObject({ duplicate: true });
  });

  it('keeps a delivered order delivered when a late "pending" arrives after the settlement', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'settlement');
    await h.kedai.settle();
    const late = await h.post('/webhooks/midtrans', sandbox().notification(orderId, 'pending'));
    expect(late.status).toBe(200);
    const expire = await h.post('/webhooks/midtrans', sandbox().notification(orderId, 'expire'));
    expect(expire.status).toBe(200);
    await h.kedai.settle();
    expect(await orderState(orderId)).toMatchObject({ status: 'delivered', items: expect.anything() });
    expect(await deliveries(buyer)).toHaveLength(1);
  });

  it('puts the items back on sale when the payment expires, and tells the buyer', async () => {
    const before = await available();
    const { buyer, orderId } = await pendingOrder();
    expect(await available()).toBe(before - 1);
    const tx = sandbox().transactions.get(orderId)!;
    expect((await h.post(`/sandbox/midtrans/pay/${tx.token}`, { action: 'expire' })).body).toMatchObject({ webhook: 200 });
    await h.kedai.settle();
    expect(await orderState(orderId)).toEqual({ status: 'expired', items: expect.anything() });
    expect(Number((await orderState(orderId)).items)).toBe(0);
    expect(await available()).toBe(before);
    expect(await h.last(buyer)).toContain('kedaluwarsa');
    // The buyer may buy again.
    await h.chat(buyer, '.buynow VCR');
    expect(orderIdIn(await h.last(buyer))).not.toBe(orderId);
    await h.chat(buyer, '.batal');
  });

  it('puts the items back when the gateway reports a cancel', async () => {
    const before = await available();
    const { orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'cancel');
    await h.kedai.settle();
    expect(await orderState(orderId)).toMatchObject({ status: 'cancelled' });
    expect(await available()).toBe(before);
  });

  it('.batal cancels the pending order, frees its items and cancels it at the gateway', async () => {
    const before = await available();
    const { buyer, orderId } = await pendingOrder();
    await h.chat(buyer, '.batal');
    expect(await h.last(buyer)).toContain(`${orderId} dibatalkan`);
    expect(await orderState(orderId)).toMatchObject({ status: 'cancelled' });
    expect(await available()).toBe(before);
    expect(sandbox().transactions.get(orderId)!.status).toBe('cancel');
    await h.chat(buyer, '.batal');
    expect(await h.last(buyer)).toBe(said('NO_PENDING_ORDER'));
  });

  it('.batal on an order the buyer has already paid (the notification still on its way): not cancelled, the buyer told, the goods delivered once', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'settlement', false); // paid at Midtrans; kedai has heard nothing yet
    await h.chat(buyer, '.batal');
    await h.kedai.settle();
    const inbox = await h.sentTo(buyer);
    expect(inbox.some((t) => t.includes(`${orderId} sudah masuk`))).toBe(true);
    expect(inbox.some((t) => t.includes(`${orderId} dibatalkan`))).toBe(false);
    expect(await orderState(orderId)).toMatchObject({ status: 'delivered' });
    // The notification that arrives afterwards changes nothing.
    await sandbox().setStatus(orderId, 'settlement');
    await h.kedai.settle();
    expect(await deliveries(buyer)).toHaveLength(1);
  });

  it('honours a settlement that arrives after expiry: goods when in stock, else the balance', async () => {
    const inStock = await pendingOrder();
    await sandbox().setStatus(inStock.orderId, 'expire');
    await h.kedai.settle();
    expect(await orderState(inStock.orderId)).toMatchObject({ status: 'expired' });
    await sandbox().setStatus(inStock.orderId, 'settlement');
    await h.kedai.settle();
    expect(await orderState(inStock.orderId)).toMatchObject({ status: 'delivered' });
    expect(await deliveries(inStock.buyer)).toHaveLength(1);
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(inStock.orderId))).toBe(true);

    const soldOut = await pendingOrder();
    await sandbox().setStatus(soldOut.orderId, 'expire');
    await h.kedai.settle();
    await h.chat(ADMIN, '.delstok VCR');
    await sandbox().setStatus(soldOut.orderId, 'settlement');
    await h.kedai.settle();
    expect(await orderState(soldOut.orderId)).toMatchObject({ status: 'refunded' });
    await h.chat(soldOut.buyer, '.saldo');
    expect(await h.last(soldOut.buyer)).toContain('Rp10.000');
    const money = await h.one<{ balance: unknown; ledger: unknown }>(
      `SELECT u.balance, (SELECT sum(amount) FROM ledger_entries l WHERE l.user_id = u.id) AS ledger FROM users u WHERE wa_id = $1`,
      [soldOut.buyer],
    );
    expect(Number(money.balance)).toBe(10_000);
    expect(Number(money.ledger)).toBe(10_000);
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(soldOut.orderId) && t.includes('dana masuk saldo'))).toBe(true);
    // Restock for nobody else: the suite's remaining tests do not need VCR.
  });

  it('records a refund after delivery against the order and tells the admins; a partial refund only tells them', async () => {
    await h.chat(ADMIN, '.addstok VCR\nVOUCHER-R1\nVOUCHER-R2\nVOUCHER-R3');
    const full = await pendingOrder();
    await sandbox().setStatus(full.orderId, 'settlement');
    await h.kedai.settle();
    await sandbox().setStatus(full.orderId, 'refund');
    await h.kedai.settle();
    expect(await orderState(full.orderId)).toMatchObject({ status: 'refunded' });
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(full.orderId) && t.includes('refund'))).toBe(true);

    const partial = await pendingOrder();
    await sandbox().setStatus(partial.orderId, 'settlement');
    await h.kedai.settle();
    await sandbox().setStatus(partial.orderId, 'partial_refund');
    await h.kedai.settle();
    expect(await orderState(partial.orderId)).toMatchObject({ status: 'delivered' });
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(partial.orderId) && t.includes('partial_refund'))).toBe(true);
  });

  it('tells the admins about a card payment held for review (challenge) and delivers nothing', async () => {
    const { buyer, orderId } = await pendingOrder();
    await sandbox().setStatus(orderId, 'capture', true, 'challenge');
    await h.kedai.settle();
    expect(await orderState(orderId)).toMatchObject({ status: 'pending' });
    expect(await deliveries(buyer)).toHaveLength(0);
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(orderId) && t.includes('challenge'))).toBe(true);
    await h.chat(buyer, '.batal');
  });

  it('stores and flags a notification for an unknown order, and answers 200', async () => {
    const body = { order_id: 'KD-20990101-DEADBEEF', status_code: '200', gross_amount: '5000.00', transaction_status: 'settlement', transaction_id: 'x' };
    const signed = { ...body, signature_key: notificationSignature(body.order_id, '200', '5000.00', sandbox().serverKey) };
    expect((await h.post('/webhooks/midtrans', signed)).status).toBe(200);
    await h.kedai.settle();
    expect(await count(`SELECT count(*) AS n FROM payment_events WHERE order_ref = $1 AND flag = 'unknown_order'`, [body.order_id])).toBe(1);
  });

  it('answers 400 to a malformed body', async () => {
    expect((await h.post('/webhooks/midtrans', '{"order_id":')).status).toBe(400);
    expect((await h.post('/webhooks/midtrans', { hello: 'world' })).status).toBe(400);
  });
});

describe.each(backends)('when the gateway cannot create a link, on $name', (backend) => {
  let h: Harness;
  let gateway: Server;
  let calls = 0;
  beforeAll(async () => {
    // A Midtrans that answers every call with 500: the adapter talks to it over real HTTP.
    gateway = createServer((_req, res) => {
      calls++;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error_messages":["internal"]}');
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
    h = await startKedai(backend, { MIDTRANS_SERVER_KEY: 'SB-Mid-server-test-key', MIDTRANS_SNAP_URL: `${base}/snap/v1`, MIDTRANS_API_URL: `${base}/v2` });
    await stockProduct(h, 'GAME', 12_000, ['GAME-KEY-1']);
  });
  afterAll(async () => {
    await h?.stop();
    gateway?.close();
  });

  it('fails the order, puts the item back and tells the buyer to try later', async () => {
    const buyer = '6281400000001';
    await h.chat(buyer, '.buynow GAME');
    expect(calls).toBeGreaterThan(0);
    expect(await h.last(buyer)).toBe(said('PAYMENT_UNAVAILABLE'));
    expect(await h.one(`SELECT status FROM orders`)).toEqual({ status: 'failed' });
    expect(await h.one(`SELECT status, order_id FROM stock_items`)).toEqual({ status: 'available', order_id: null });
    // Nothing stays pending: the buyer can try again at once.
    await h.chat(buyer, '.buynow GAME');
    expect(await h.last(buyer)).toBe(said('PAYMENT_UNAVAILABLE'));
  });
});
