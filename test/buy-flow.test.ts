import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, backends, orderIdIn, startKedai, stockProduct, type Harness } from './helpers.js';

describe.each(backends)('the buy journey on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(backend);
  });
  afterAll(async () => h?.stop());

  const count = async (sql: string, params: unknown[] = []) => Number((await h.one<{ n: unknown }>(sql, params)).n);

  it('goes from .addproduk to the goods in the chat, over HTTP, through the sandbox', async () => {
    const buyer = '6281200000001';
    await stockProduct(h, 'NETFLIX1', 25_000, ['netflix-akun-1 pass:alpha', 'netflix-akun-2 pass:beta']);
    expect(await h.last(ADMIN)).toContain('Tersedia: 2');

    await h.chat(buyer, '.produk', 'Budi');
    const catalogue = await h.last(buyer);
    expect(catalogue).toContain('NETFLIX1');
    expect(catalogue).toContain('Rp25.000');
    expect(catalogue).toContain('stok 2');

    await h.chat(buyer, '.buynow NETFLIX1', 'Budi');
    const linkMessage = await h.last(buyer);
    const orderId = orderIdIn(linkMessage);
    const tx = h.kedai.sandbox!.transactions.get(orderId)!;
    // The Snap request as the gateway received it over HTTP.
    expect(tx.request).toMatchObject({
      transaction_details: { order_id: orderId, gross_amount: 25_000 },
      item_details: [{ id: 'NETFLIX1', price: 25_000, quantity: 1 }],
      expiry: { unit: 'minute', duration: 15 },
    });
    const redirectUrl = `http://localhost:${new URL(h.url).port}/sandbox/midtrans/snap/v4/redirection/${tx.token}`;
    expect(linkMessage).toContain(redirectUrl);

    // The buyer opens the link and presses "Bayar": the sandbox posts a signed settlement.
    const page = await fetch(redirectUrl.replace('localhost', '127.0.0.1'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Rp25.000');
    const paid = await h.post(`/sandbox/midtrans/pay/${tx.token}`, { action: 'pay' });
    expect(paid.body).toMatchObject({ status: 'settlement', webhook: 200 });
    await h.kedai.settle();

    const withGoods = (await h.sentTo(buyer)).filter((t) => t.includes('netflix-akun-1 pass:alpha'));
    expect(withGoods).toHaveLength(1);
    expect(withGoods[0]).toContain(orderId);
    expect((await h.sentTo(buyer)).some((t) => t.includes('netflix-akun-2'))).toBe(false);
    expect(await h.one(`SELECT status FROM orders WHERE public_id = $1`, [orderId])).toEqual({ status: 'delivered' });
    expect(await count(`SELECT count(*) AS n FROM stock_items WHERE status = 'sold'`)).toBe(1);

    await h.chat(buyer, '.riwayat');
    expect(await h.last(buyer)).toMatch(new RegExp(`${orderId}.*terkirim`));
  });

  it('pays from the balance at once: debited once, ledger sums to the balance', async () => {
    const buyer = '6281200000002';
    await stockProduct(h, 'ML86', 20_000, ['ML-A', 'ML-B', 'ML-C']);
    await h.chat(ADMIN, `.addsaldo ${buyer} 50000`);
    expect(await h.last(ADMIN)).toContain('Rp50.000');
    const links = h.kedai.sandbox!.transactions.size;
    await h.chat(buyer, '.buy ML86 2');
    const inbox = await h.sentTo(buyer);
    const delivery = inbox.find((t) => t.includes('ML-A'))!;
    expect(delivery).toContain('ML-B');
    expect(delivery).toContain('Rp10.000'); // balance left
    expect(h.kedai.sandbox!.transactions.size).toBe(links); // no payment link for a balance purchase
    await h.chat(buyer, '.saldo');
    expect(await h.last(buyer)).toContain('Rp10.000');
    const sums = await h.one<{ balance: unknown; ledger: unknown; debits: unknown }>(
      `SELECT u.balance, (SELECT sum(amount) FROM ledger_entries l WHERE l.user_id = u.id) AS ledger,
              (SELECT count(*) FROM ledger_entries l WHERE l.user_id = u.id AND kind = 'purchase') AS debits
         FROM users u WHERE wa_id = $1`,
      [buyer],
    );
    expect(Number(sums.balance)).toBe(10_000);
    expect(Number(sums.ledger)).toBe(10_000);
    expect(Number(sums.debits)).toBe(1);
  });

  it('.buy without enough balance sends a link; .deposit credits the balance when paid', async () => {
    const buyer = '6281200000003';
    await h.chat(buyer, '.deposit 30.000');
    const orderId = orderIdIn(await h.last(buyer));
    const tx = h.kedai.sandbox!.transactions.get(orderId)!;
    expect(tx.grossAmount).toBe(30_000);
    await h.post(`/sandbox/midtrans/pay/${tx.token}`, { action: 'pay' });
    await h.kedai.settle();
    expect(await h.last(buyer)).toContain('Saldo sekarang Rp30.000');
    // A repeated settlement credits nothing more.
    await h.post('/webhooks/midtrans', h.kedai.sandbox!.notification(orderId));
    await h.chat(buyer, '.saldo');
    expect(await h.last(buyer)).toContain('Rp30.000');
  });

  it('tells a buyer with a pending order that a transaction is in progress', async () => {
    const buyer = '6281200000004';
    await stockProduct(h, 'SPOT1', 15_000, ['spot-1', 'spot-2']);
    await h.chat(buyer, '.buynow SPOT1');
    const orderId = orderIdIn(await h.last(buyer));
    await h.chat(buyer, '.buy SPOT1');
    expect(await h.last(buyer)).toContain(`Masih ada transaksi yang berjalan (${orderId})`);
    await h.chat(buyer, '.deposit 10000');
    expect(await h.last(buyer)).toContain(orderId);
    expect(await count(`SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [buyer])).toBe(1);
    await h.chat(buyer, '.batal');
    expect(await h.last(buyer)).toContain(`${orderId} dibatalkan`);
  });

  it('serves the web chat page, health and readiness', async () => {
    const page = await fetch(`${h.url}/chat`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="/chat/app.js"');
    expect(await (await fetch(`${h.url}/chat/app.js`)).text()).toContain('/chat/api/send');
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${h.url}/readyz`)).json()).toEqual({ status: 'ready', database: { ok: true }, redis: expect.anything(), whatsapp: { sending: 'ok' } });
  });

  it('.kirimulang resends the goods of a delivered order, only to its buyer', async () => {
    const buyer = '6281200000005';
    await stockProduct(h, 'KEY1', 5_000, ['LICENSE-XYZ-1']);
    await h.chat(ADMIN, `.addsaldo ${buyer} 5000`);
    await h.chat(buyer, '.buy KEY1');
    const orderId = orderIdIn(await h.last(buyer));
    await h.chat(buyer, `.kirimulang ${orderId}`);
    expect((await h.sentTo(buyer)).filter((t) => t.includes('LICENSE-XYZ-1'))).toHaveLength(2);
    await h.chat('6281299999999', `.kirimulang ${orderId}`);
    expect(await h.last('6281299999999')).toContain('tidak ditemukan');
  });
});
