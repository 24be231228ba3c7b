import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { ADMIN, adminSession, concurrentBackend, freePort, orderIdIn, startKedai, stockProduct, type Harness } from './helpers.js';
import { startFakeMidtrans } from './fakes/midtrans.js';

const TOKEN = 'reversal-test-admin-token-0123456789';

/** Midtrans as it really behaves after (or instead of) a plain settlement: reversals and fraud review. */
describe(`reversals and fraud review (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let seq = 0;
  const buyer = () => `628700000${String(++seq).padStart(4, '0')}`;

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    h = await startKedai(concurrentBackend, { PORT: String(port), ...fake.env, ADMIN_TOKEN: TOKEN });
    await stockProduct(h, 'REV', 30_000, Array.from({ length: 10 }, (_, i) => `REV-ACCOUNT-${i}`));
  });
  afterAll(async () => {
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
    await fake?.close();
  });

  const order = (publicId: string) =>
    h.one<{ status: string; owed: unknown; review_since: Date | null; items: unknown }>(
      `SELECT status, owed, review_since, (SELECT count(*) FROM stock_items s WHERE s.order_id = o.id AND s.status IN ('reserved', 'sold')) AS items
         FROM orders o WHERE public_id = $1`,
      [publicId],
    );
  const balance = async (b: string) => Number((await h.one<{ balance: unknown }>('SELECT balance FROM users WHERE wa_id = $1', [b])).balance);
  /** Midtrans moves the transaction and sends its signed notification; kedai applies it. */
  const midtrans = async (orderId: string, status: string, fraud?: string) => {
    expect(await fake.sandbox.setStatus(orderId, status, true, fraud)).toBe(200);
    await h.kedai.settle();
  };
  const sweep = async () => {
    h.kedai.sweeper.kick();
    await h.kedai.sweeper.idle();
    await h.kedai.settle();
  };

  it('a settlement the bank turns into a deny after the goods went out: reversed, admins told what was delivered, the buyer held until .lepas', async () => {
    const b = buyer();
    await h.chat(b, '.buynow REV');
    const orderId = orderIdIn(await h.last(b));
    await midtrans(orderId, 'settlement');
    const goods = (await h.sentTo(b)).find((t) => t.includes('REV-ACCOUNT-'))!;
    const item = /REV-ACCOUNT-\d+/.exec(goods)![0];
    const adminBefore = (await h.sentTo(ADMIN)).length;

    await midtrans(orderId, 'deny');
    expect(await order(orderId)).toMatchObject({ status: 'reversed' });
    expect(Number((await order(orderId)).owed)).toBe(30_000);
    const told = (await h.sentTo(ADMIN)).slice(adminBefore).join('\n');
    expect(told).toContain(orderId);
    expect(told).toContain(b);
    expect(told).toContain('Rp30.000');
    expect(told).toContain(item); // what was delivered, so the seller can revoke it
    expect(await h.last(b)).toContain('dibatalkan oleh bank');

    // The buyer's next purchase waits for the admin's decision, and changes nothing.
    const available = Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'available'`)).n);
    await h.chat(b, '.buynow REV');
    expect(await h.last(b)).toContain('ditahan');
    expect(Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'available'`)).n)).toBe(available);
    // The same deny again, or a late settlement notification: nothing more happens.
    await midtrans(orderId, 'deny');
    expect((await h.sentTo(ADMIN)).slice(adminBefore).filter((t) => t.includes('DIBATALKAN BANK'))).toHaveLength(1);

    // The dashboard shows it on top of the orders while it is recent, with what is owed.
    const admin = await adminSession(h, TOKEN);
    const page = await admin('/admin/orders');
    expect(page).toMatch(new RegExp(`data-reversed>.*${orderId}.*terhutang Rp30\\.000`, 's'));
    const buyerPage = () => admin(`/admin/buyers/${b}`);
    expect(await buyerPage()).toContain('pembelian ditahan');
    await h.chat(ADMIN, `.lepas ${b}`);
    expect(await h.last(ADMIN)).toContain('boleh membeli lagi');
    expect(await buyerPage()).not.toContain('pembelian ditahan');
    await h.chat(b, '.buynow REV');
    expect(await h.last(b)).toContain('Bayar di sini');
    await h.chat(b, '.batal');
  });

  it('a reversed deposit takes its credit back as far as the balance allows and records the rest as owed', async () => {
    const b = buyer();
    await h.chat(b, '.deposit 50000');
    const orderId = orderIdIn(await h.last(b));
    await midtrans(orderId, 'settlement');
    expect(await balance(b)).toBe(50_000);
    await h.chat(b, '.buy REV'); // 30,000 spent from the balance before the bank takes the deposit back
    expect(await balance(b)).toBe(20_000);

    await midtrans(orderId, 'deny');
    expect(await balance(b)).toBe(0);
    expect(await order(orderId)).toMatchObject({ status: 'reversed' });
    expect(Number((await order(orderId)).owed)).toBe(30_000);
    const entry = await h.one<{ amount: unknown }>(`SELECT amount FROM ledger_entries l JOIN orders o ON o.id = l.order_id WHERE o.public_id = $1 AND l.kind = 'reversal'`, [orderId]);
    expect(Number(entry.amount)).toBe(-20_000);
    expect(await h.last(b)).toMatch(/Rp20\.000.*Rp30\.000/s);
    expect(await verifyInvariants(h.db)).toEqual([]);
    // The checker knows the state: a reversal whose take-back and debt do not add up to its total is reported.
    await h.db.query(`UPDATE orders SET owed = owed + 1 WHERE public_id = $1`, [orderId]);
    expect((await verifyInvariants(h.db)).map((v) => v.invariant)).toEqual([expect.stringContaining('reversed order')]);
    await h.db.query(`UPDATE orders SET owed = owed - 1 WHERE public_id = $1`, [orderId]);
  });

  it('a card payment held for review is never expired by kedai; accept delivers', async () => {
    const b = buyer();
    await h.chat(b, '.buynow REV');
    const orderId = orderIdIn(await h.last(b));
    await midtrans(orderId, 'capture', 'challenge');
    expect(await order(orderId)).toMatchObject({ status: 'pending' });
    expect((await order(orderId)).review_since).not.toBeNull();
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(orderId) && t.includes('challenge'))).toBe(true);
    expect(await h.last(b)).toContain('sedang diperiksa');

    // Past its expiry the sweeper leaves it, and does not cancel it at Midtrans.
    await h.db.query(`UPDATE orders SET expires_at = now() - interval '1 hour' WHERE public_id = $1`, [orderId]);
    const cancels = fake.calls.cancel;
    await sweep();
    expect(await order(orderId)).toMatchObject({ status: 'pending' });
    expect(Number((await order(orderId)).items)).toBe(1);
    expect(fake.calls.cancel).toBe(cancels);

    await midtrans(orderId, 'capture', 'accept');
    expect(await order(orderId)).toMatchObject({ status: 'delivered' });
    expect((await h.sentTo(b)).some((t) => t.includes('REV-ACCOUNT-'))).toBe(true);
  });

  it('a payment denied after review releases the items; a settlement whose fraud check denied is not money', async () => {
    const b = buyer();
    await h.chat(b, '.buynow REV');
    const orderId = orderIdIn(await h.last(b));
    await midtrans(orderId, 'capture', 'challenge');
    await midtrans(orderId, 'deny');
    expect(await order(orderId)).toMatchObject({ status: 'failed' });
    expect(Number((await order(orderId)).items)).toBe(0);

    const c = buyer();
    await h.chat(c, '.buynow REV');
    const other = orderIdIn(await h.last(c));
    await midtrans(other, 'settlement', 'deny');
    expect(await order(other)).toMatchObject({ status: 'failed' });
    expect((await h.sentTo(c)).some((t) => t.includes('REV-ACCOUNT-'))).toBe(false);
  });
});
