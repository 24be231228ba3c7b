import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { formatRupiah } from '../src/domain/money.js';
import { ADMIN, backends, orderIdIn, said, startKedai, stockProduct, type Harness } from './helpers.js';

/**
 * The common purchase (`.buy CODE [QTY]` from the balance, no voucher) in one database
 * statement and its commit (migration 020), on PGlite and on the server.
 */
describe.each(backends)('the one-round-trip purchase on $name', (backend) => {
  let h: Harness;
  /** Every statement and transaction the bot runs while `counting` is on. */
  const seen: string[] = [];
  let counting = false;
  const wrapDb = (db: Database): Database => ({
    ...db,
    query: (text, params) => {
      if (counting) seen.push(text);
      return db.query(text, params);
    },
    transaction: (fn) => {
      if (counting) seen.push('BEGIN');
      return db.transaction(fn);
    },
  });
  let n = 0;
  const buyer = () => `6287300000${String(++n).padStart(3, '0')}`;
  const balance = async (b: string) => Number((await h.one<{ balance: unknown }>('SELECT balance FROM users WHERE wa_id = $1', [b])).balance);

  beforeAll(async () => {
    h = await startKedai(backend, {}, { wrapDb });
    await stockProduct(h, 'QB', 7_000, Array.from({ length: 6 }, (_, i) => `QB-ITEM-${i}`));
  });
  afterAll(async () => {
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
  });

  it('writes the rupiah in SQL exactly as the app does', async () => {
    const values = [0, 5, 999, 1_000, 25_000, 1_234_567, 100_000_000, 987_654_321_987, -4_500];
    const rows = await h.db.query<{ v: string }>('SELECT rupiah(x) AS v FROM unnest($1::bigint[]) WITH ORDINALITY AS t(x, i) ORDER BY i', [values]);
    expect(rows.map((r) => r.v)).toEqual(values.map(formatRupiah));
  });

  it('sells in one statement, no transaction around it: the order, the debit, the items and their message with the balance left', async () => {
    const b = buyer();
    await h.chat(ADMIN, `.addsaldo ${b} 20000`);
    await h.chat(b, '.saldo'); // the profile cached: the sale must drop it
    seen.length = 0;
    counting = true;
    await h.chat(b, '.buy QB 2');
    counting = false;
    // What touches the sale's tables (the outbox's sending and the harness's own checks aside).
    const sale = seen.filter((t) => /buy_with_balance|INTO orders|ledger_entries|stock_take|FROM products|INTO users|BEGIN/.test(t));
    expect(sale).toEqual(['SELECT * FROM buy_with_balance($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)']);
    const goods = await h.last(b);
    expect(goods).toMatch(/QB-ITEM-0\nQB-ITEM-1/);
    expect(goods).toContain(`Sisa saldo ${formatRupiah(6_000)}`);
    expect(goods).toContain(orderIdIn(goods));
    expect(await balance(b)).toBe(6_000);
    await h.chat(b, '.saldo');
    expect(await h.last(b)).toContain(formatRupiah(6_000));
  });

  it('answers sold out exactly as before and charges nothing', async () => {
    const b = buyer();
    await h.chat(ADMIN, `.addsaldo ${b} 100000`);
    const { n } = await h.one<{ n: number }>(`SELECT (stock_added - stock_claimed)::int AS n FROM products WHERE code = 'QB'`);
    await h.chat(b, `.buy QB ${n + 1}`);
    expect(await h.last(b)).toBe(said('SOLD_OUT', { code: 'QB', available: n, asked: n + 1 }));
    expect(await balance(b)).toBe(100_000);
    expect(await h.one(`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b])).toEqual({ n: 0 });
  });

  it('charges and writes the price in the database, whatever the cache says', async () => {
    const b = buyer();
    await h.chat(ADMIN, `.addsaldo ${b} 100000`);
    await h.chat(b, '.info QB'); // the product cached at Rp7.000
    await h.db.query(`UPDATE products SET price = 8000 WHERE code = 'QB'`); // behind the cache's back
    await h.chat(b, '.buy QB');
    expect(await balance(b)).toBe(92_000);
    expect(await h.last(b)).toContain(formatRupiah(8_000));
    await h.db.query(`UPDATE products SET price = 7000 WHERE code = 'QB'`);
    await h.kedai.deps.cache.invalidate(['catalogue']);
  });

  it('refuses a buyer with a pending order (the database decides, whatever the lock said), and a held buyer', async () => {
    const b = buyer();
    await h.chat(ADMIN, `.addsaldo ${b} 100000`);
    await h.chat(b, '.buynow QB');
    const pending = orderIdIn(await h.last(b));
    // The buy lock gone (Redis lost it): the statement's own check answers.
    await h.kedai.deps.locks.release(`lock:buy:${b}`, pending);
    await h.chat(b, '.buy QB');
    expect(await h.last(b)).toBe(said('TRANSACTION_IN_PROGRESS', { orderId: pending }));
    await h.chat(b, '.batal');
    await h.db.query(`UPDATE users SET held_since = now(), held_reason = 'KD-HELD' WHERE wa_id = $1`, [b]);
    await h.chat(b, '.buy QB');
    expect(await h.last(b)).toBe(said('ACCOUNT_HELD', { orderId: 'KD-HELD' }));
    expect(await balance(b)).toBe(100_000);
  });

  it("handles a sender's messages one after another: a .saldo sent right after a .buy shows what the purchase left", async () => {
    const b = buyer();
    await h.chat(ADMIN, `.addsaldo ${b} 20000`);
    await h.chat(b, '.saldo'); // cached: a .saldo running beside the purchase would read 20,000 at once
    const before = (await h.sentTo(b)).length;
    // Both sent before either is answered, as a buyer typing fast does.
    for (const text of ['.buy QB', '.saldo']) expect((await h.post('/chat/api/send', { from: b, name: '', text })).status).toBe(202);
    await h.kedai.settle();
    const answers = (await h.sentTo(b)).slice(before);
    const saldo = answers.find((t) => !/QB-ITEM/.test(t));
    expect(saldo).toContain(formatRupiah(13_000));
    expect(saldo).not.toContain(formatRupiah(20_000));
    expect(await balance(b)).toBe(13_000);
  });
});
