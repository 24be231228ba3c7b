import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, startKedai, stockProduct, type Harness } from './helpers.js';

describe(`racing buyers on ${concurrentBackend.name}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(concurrentBackend);
  });
  afterAll(async () => h?.stop());

  const buyers = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  const sendAll = async (numbers: string[], text: string) => {
    const answers = await Promise.all(numbers.map((from) => h.post('/chat/api/send', { from, text })));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await h.kedai.settle();
  };

  it('50 buyers, 10 items, payment links: exactly 10 orders reserve, nobody shares an item, 40 hear "sold out"', async () => {
    await stockProduct(h, 'RACE', 10_000, Array.from({ length: 10 }, (_, i) => `RACE-ITEM-${i}`));
    const numbers = buyers('62815000');
    await sendAll(numbers, '.buynow RACE');

    const orders = await h.db.query<{ id: unknown; items: unknown }>(
      `SELECT o.id, (SELECT count(*) FROM stock_items s WHERE s.order_id = o.id AND s.status = 'reserved') AS items
         FROM orders o WHERE o.status = 'pending'`,
    );
    expect(orders).toHaveLength(10);
    expect(orders.every((o) => Number(o.items) === 1)).toBe(true);
    const reserved = await h.db.query<{ order_id: unknown }>(`SELECT order_id FROM stock_items WHERE status = 'reserved'`);
    expect(new Set(reserved.map((r) => String(r.order_id))).size).toBe(10);
    const replies = await Promise.all(numbers.map((n) => h.last(n)));
    expect(replies.filter((t) => t.includes('stok RACE habis'))).toHaveLength(40);
    expect(replies.filter((t) => t.includes('Bayar di sini'))).toHaveLength(10);
  });

  it('50 buyers with balance, 10 items: 10 deliveries, 40 untouched balances', async () => {
    await stockProduct(h, 'RACEB', 5_000, Array.from({ length: 10 }, (_, i) => `RACEB-ITEM-${i}`));
    const numbers = buyers('62816000');
    for (const n of numbers) await h.chat(ADMIN, `.addsaldo ${n} 5000`);
    await sendAll(numbers, '.buy RACEB');

    const delivered = await h.db.query<{ payload: string }>(
      `SELECT s.payload FROM stock_items s JOIN products p ON p.id = s.product_id WHERE p.code = 'RACEB' AND s.status = 'sold'`,
    );
    expect(delivered).toHaveLength(10);
    const inboxes = await Promise.all(numbers.map((n) => h.sentTo(n)));
    const got = inboxes.flatMap((msgs) => msgs.flatMap((t) => t.match(/RACEB-ITEM-\d/g) ?? []));
    expect(got.sort()).toEqual(delivered.map((d) => d.payload).sort());
    const balances = await h.db.query<{ balance: unknown; ledger: unknown }>(
      `SELECT u.balance, (SELECT sum(amount) FROM ledger_entries l WHERE l.user_id = u.id) AS ledger FROM users u WHERE u.wa_id LIKE '62816000%'`,
    );
    expect(balances.filter((b) => Number(b.balance) === 0)).toHaveLength(10);
    expect(balances.filter((b) => Number(b.balance) === 5_000)).toHaveLength(40);
    expect(balances.every((b) => Number(b.balance) === Number(b.ledger))).toBe(true);
  });

  it('one buyer sending .buy five times at once gets one order', async () => {
    await stockProduct(h, 'RACEC', 1_000, ['C-1', 'C-2', 'C-3', 'C-4', 'C-5']);
    const buyer = '6281700000001';
    await Promise.all(Array.from({ length: 5 }, () => h.post('/chat/api/send', { from: buyer, text: '.buynow RACEC' })));
    await h.kedai.settle();
    const mine = await h.db.query(`SELECT o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [buyer]);
    expect(mine).toEqual([{ status: 'pending' }]);
    expect((await h.sentTo(buyer)).filter((t) => t.includes('Masih ada transaksi'))).toHaveLength(4);
  });

  it('a claim whose positions hold no item undoes itself: no money taken, the counter unmoved', async () => {
    await stockProduct(h, 'GAP', 2_000, ['GAP-1']);
    // Corrupt the counters on purpose: they now say two items were made available, and only one exists.
    await h.db.query(`UPDATE products SET stock_added = stock_added + 1 WHERE code = 'GAP'`);
    const [first, second] = ['6281800000001', '6281800000002'];
    for (const n of [first, second]) await h.chat(ADMIN, `.addsaldo ${n} 2000`);
    await h.chat(first, '.buy GAP');
    expect((await h.sentTo(first)).join('\n')).toContain('GAP-1');

    await h.chat(second, '.buy GAP');
    const [product] = await h.db.query<{ claimed: unknown }>(`SELECT stock_claimed AS claimed FROM products WHERE code = 'GAP'`);
    expect(Number(product!.claimed)).toBe(1);
    const [user] = await h.db.query<{ balance: unknown }>(`SELECT balance FROM users WHERE wa_id = $1`, [second]);
    expect(Number(user!.balance)).toBe(2_000);
    expect(await h.db.query(`SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [second])).toEqual([]);
    expect(await h.last(second)).toContain('sistem sedang gangguan');
  });
});
