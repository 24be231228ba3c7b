import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { ADMIN, concurrentBackend, said, startKedai, stockProduct, type Harness } from './helpers.js';

/**
 * Issue #34: balance purchases of one product that arrive together go as one statement and one
 * commit (buy_many), each buyer answered on their own exactly as alone: a sold-out one, a short
 * balance or a held account in the middle of a group changes nothing for the others. A group
 * that fails as a whole is tried buyer by buyer.
 */
describe(`grouped balance purchases (${concurrentBackend.name})`, () => {
  let h: Harness;
  const statements = { many: 0, single: 0, mixed: 0, manyFailed: 0 };
  let failGroups = 0;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { RATE_LIMIT_BUY_PER_MIN: '100' }, {
      wrapDb: (db) => ({
        ...db,
        query: (text: string, params?: readonly unknown[]) => {
          if (text.includes('buy_many(')) {
            statements.many++;
            if (new Set((JSON.parse(String(params?.[0])) as { code: string }[]).map((b) => b.code)).size > 1) statements.mixed++;
            if (failGroups > 0) {
              failGroups--;
              return Promise.reject(new Error('connection terminated unexpectedly'));
            }
          }
          if (text.includes('buy_with_balance(')) statements.single++;
          const result = db.query(text, params);
          // A group the database refused is tried buyer by buyer, which would hide a broken buy_many.
          if (text.includes('buy_many(')) result.catch(() => statements.manyFailed++);
          return result;
        },
      }) as Database,
    });
  });
  afterAll(async () => {
    expect(statements.manyFailed).toBe(0);
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
  });

  const numbers = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  const fund = async (list: string[], amount: number) => {
    for (const n of list) await h.chat(ADMIN, `.addsaldo ${n} ${amount}`);
  };
  const buyAll = async (list: string[], text: string) => {
    const answers = await Promise.all(list.map((from) => h.post('/chat/api/send', { from, text })));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await h.kedai.settle();
  };
  const sold = async (code: string) =>
    h.db.query<{ wa_id: string; payload: string }>(
      `SELECT u.wa_id, s.payload FROM stock_items s JOIN orders o ON o.id = s.order_id JOIN users u ON u.id = o.user_id JOIN products p ON p.id = s.product_id
        WHERE p.code = $1 AND s.status = 'sold'`,
      [code],
    );

  it('40 buyers of 12 items at once: grouped, 12 delivered once each, the others told sold out with their balance untouched; a short balance and a held account answered as alone', async () => {
    await stockProduct(h, 'GRP', 5_000, Array.from({ length: 12 }, (_, i) => `GRP-ITEM-${i}`));
    const list = numbers('62818100', 40);
    await fund(list.slice(0, 38), 5_000);
    await fund([list[38]!], 1_000); // too little
    await fund([list[39]!], 5_000);
    await h.db.query(`UPDATE users SET held_since = now(), held_reason = 'KD-20260101-00000000' WHERE wa_id = $1`, [list[39]]);
    const before = { ...statements };
    await buyAll(list, '.buy GRP');
    expect(statements.many).toBeGreaterThan(before.many);
    const items = await sold('GRP');
    expect(items).toHaveLength(12);
    expect(new Set(items.map((i) => i.payload)).size).toBe(12);
    const inboxes = await Promise.all(list.map((n) => h.sentTo(n)));
    const got = inboxes.flatMap((msgs) => msgs.flatMap((t) => t.match(/GRP-ITEM-\d+/g) ?? []));
    expect(got.sort()).toEqual(items.map((i) => i.payload).sort());
    const last = await Promise.all(list.map((n) => h.last(n)));
    expect(last.slice(0, 38).filter((t) => t.includes('stok GRP habis'))).toHaveLength(26);
    // Too little balance: the general path, which finds it sold out or offers to pay the rest, as it would alone.
    expect(last[38]).toMatch(/stok GRP habis|Saldo/);
    expect(last[39]).toBe(said('ACCOUNT_HELD', { orderId: 'KD-20260101-00000000' }));
    const balances = await h.db.query<{ wa_id: string; balance: unknown }>(`SELECT wa_id, balance FROM users WHERE wa_id LIKE '62818100%'`);
    const buyersOf = new Set(items.map((i) => i.wa_id));
    for (const b of balances) expect(Number(b.balance)).toBe(b.wa_id === list[38] ? 1_000 : buyersOf.has(b.wa_id) ? 0 : 5_000);
    // A sold-out buyer left nothing behind: no order, no ledger entry (the counter is claimed before anything is written).
    const written = await h.db.query<{ orders: number; debits: number }>(
      `SELECT (SELECT count(*)::int FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id LIKE '62818100%') AS orders,
              (SELECT count(*)::int FROM ledger_entries l JOIN users u ON u.id = l.user_id WHERE u.wa_id LIKE '62818100%' AND l.kind = 'purchase') AS debits`,
    );
    expect(written).toEqual([{ orders: 12, debits: 12 }]);
  });

  it('buyers of several products at once share groups (ordered by product): each product sells what it has, once, and no more', async () => {
    const codes = ['GRPA', 'GRPB', 'GRPC'];
    for (const code of codes) await stockProduct(h, code, 5_000, Array.from({ length: 6 }, (_, i) => `${code}-ITEM-${i}`));
    const list = numbers('62818300', 30);
    await fund(list, 5_000);
    const before = { ...statements };
    const answers = await Promise.all(list.map((from, i) => h.post('/chat/api/send', { from, text: `.buy ${codes[i % 3]}` })));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await h.kedai.settle();
    expect(statements.mixed).toBeGreaterThan(before.mixed);
    for (const code of codes) {
      const items = await sold(code);
      expect(items).toHaveLength(6);
      expect(new Set(items.map((i) => i.wa_id)).size).toBe(6);
    }
    const last = await Promise.all(list.map((n) => h.last(n)));
    expect(last.filter((t) => /stok GRP[ABC] habis/.test(t))).toHaveLength(12);
  });

  it('a group that fails as a whole (a connection lost) is tried buyer by buyer: each answered, nothing sold twice', async () => {
    await stockProduct(h, 'GRPF', 5_000, Array.from({ length: 30 }, (_, i) => `GRPF-ITEM-${i}`));
    const list = numbers('62818200', 20);
    await fund(list, 5_000);
    failGroups = 100;
    const before = { ...statements };
    await buyAll(list, '.buy GRPF');
    failGroups = 0;
    expect(statements.many).toBeGreaterThan(before.many);
    expect(statements.single - before.single).toBeGreaterThanOrEqual(20 - (statements.many - before.many));
    const items = await sold('GRPF');
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.wa_id)).size).toBe(20);
  });

  it('answers each buyer of a group as alone: the same buyer twice pays from what the first left, a larger quantity than is left is sold out while a smaller one after it is sold', async () => {
    await stockProduct(h, 'GRPQ', 1_000, ['GRPQ-1', 'GRPQ-2', 'GRPQ-3']);
    await stockProduct(h, 'GRPR', 1_000, ['GRPR-1']);
    const [twice, rich, small] = numbers('62818400', 3);
    await fund([twice!], 1_500);
    await fund([rich!, small!], 10_000);
    const buy = (wa: string, code: string, qty: number, id: string) => ({ wa, name: '', code, qty, id, before: 'Kamu beli [N] [T]:\n', after: '\nSisa [L]', tn: '[N]', tt: '[T]', tl: '[L]' });
    const rows = await h.db.query<{ i: number; result: string; detail: string | null; balance_after: unknown; remaining: unknown }>('SELECT * FROM buy_many($1::jsonb)', [
      JSON.stringify([
        buy(twice!, 'GRPQ', 1, 'KD-20261204-0000A001'),
        buy(twice!, 'GRPQ', 1, 'KD-20261204-0000A002'), // 500 left after the first: too little
        buy(rich!, 'GRPQ', 3, 'KD-20261204-0000A003'), // 2 left: sold out
        buy(small!, 'GRPQ', 2, 'KD-20261204-0000A004'),
        buy(rich!, 'GRPR', 1, 'KD-20261204-0000A005'),
        buy(small!, 'NOPE', 1, 'KD-20261204-0000A006'),
      ]),
    ]);
    const byI = new Map(rows.map((r) => [r.i, r]));
    expect([1, 2, 3, 4, 5, 6].map((i) => byI.get(i)?.result)).toEqual(['ok', 'insufficient', 'sold_out', 'ok', 'ok', 'unknown_product']);
    expect(Number(byI.get(1)!.balance_after)).toBe(500);
    expect(byI.get(3)!.detail).toBe('2');
    expect([Number(byI.get(1)!.remaining), Number(byI.get(4)!.remaining), Number(byI.get(5)!.remaining)]).toEqual([2, 0, 0]);
    expect([Number(byI.get(4)!.balance_after), Number(byI.get(5)!.balance_after)]).toEqual([8_000, 9_000]);
    const deliveries = await h.db.query<{ recipient: string; body: string }>(
      `SELECT m.recipient, m.body FROM outbox m JOIN orders o ON o.id = m.order_id WHERE o.public_id LIKE 'KD-20261204-0000A%' ORDER BY o.public_id`,
    );
    expect(deliveries).toEqual([
      { recipient: twice, body: 'Kamu beli Produk GRPQ Rp1.000:\nGRPQ-1\nSisa Rp500' },
      { recipient: small, body: 'Kamu beli Produk GRPQ Rp2.000:\nGRPQ-2\nGRPQ-3\nSisa Rp8.000' },
      { recipient: rich, body: 'Kamu beli Produk GRPR Rp1.000:\nGRPR-1\nSisa Rp9.000' },
    ]);
    const counters = await h.db.query<{ code: string; claimed: unknown; added: unknown }>(
      `SELECT code, stock_claimed AS claimed, stock_added AS added FROM products WHERE code IN ('GRPQ', 'GRPR') ORDER BY code`,
    );
    expect(counters.map((c) => [c.code, Number(c.claimed), Number(c.added)])).toEqual([['GRPQ', 3, 3], ['GRPR', 1, 1]]);
  });
});
