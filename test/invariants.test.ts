import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { backends } from './helpers.js';

/** The database itself refuses what would break the design's invariants, whatever the code does. */
describe.each(backends)('schema invariants on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;
  let userId: unknown;
  let productId: unknown;
  let seq = 0;

  beforeAll(async () => {
    ({ db, drop } = await backend.open());
    await migrate(db);
    [{ id: userId }] = (await db.query<{ id: unknown }>(`INSERT INTO users (wa_id) VALUES ('6281111111111') RETURNING id`)) as [{ id: unknown }];
    [{ id: productId }] = (await db.query<{ id: unknown }>(`INSERT INTO products (code, name, price) VALUES ('INV', 'Inv', 1000) RETURNING id`)) as [
      { id: unknown },
    ];
  });
  afterAll(async () => drop?.());

  const order = async (status = 'pending') =>
    (
      await db.query<{ id: unknown }>(
        `INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status)
         VALUES ($1, $2, 'purchase', $3, 1, 1000, 1000, 'gateway', $4) RETURNING id`,
        [`KD-INV-${++seq}`, userId, productId, status],
      )
    )[0]!.id;
  const item = async () => (await db.query<{ id: unknown }>(`INSERT INTO stock_items (product_id, payload) VALUES ($1, 'x') RETURNING id`, [productId]))[0]!.id;

  it('allows one pending order per user', async () => {
    const first = await order('pending');
    await expect(order('pending')).rejects.toMatchObject({ code: '23505', constraint: 'orders_one_pending_per_user' });
    await db.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [first]);
  });

  it('never lets the balance go negative, and only the ledger moves it', async () => {
    await db.query(`INSERT INTO ledger_entries (user_id, amount, kind) VALUES ($1, 5000, 'adjustment')`, [userId]);
    await expect(db.query(`INSERT INTO ledger_entries (user_id, amount, kind) VALUES ($1, -6000, 'adjustment')`, [userId])).rejects.toMatchObject({
      code: '23514',
    });
    await expect(db.query(`UPDATE users SET balance = 999999 WHERE id = $1`, [userId])).rejects.toThrow(/only through ledger/);
    await expect(db.query(`DELETE FROM ledger_entries`)).rejects.toThrow(/append-only/);
    const [row] = await db.query<{ balance: unknown; sum: unknown }>(
      `SELECT balance, (SELECT sum(amount) FROM ledger_entries WHERE user_id = $1) AS sum FROM users WHERE id = $1`,
      [userId],
    );
    expect(Number(row!.balance)).toBe(5000);
    expect(Number(row!.sum)).toBe(5000);
  });

  it('debits an order at most once', async () => {
    const o = await order('paid');
    await db.query(`INSERT INTO ledger_entries (user_id, amount, kind, order_id) VALUES ($1, -1000, 'purchase', $2)`, [userId, o]);
    await expect(db.query(`INSERT INTO ledger_entries (user_id, amount, kind, order_id) VALUES ($1, -1000, 'purchase', $2)`, [userId, o])).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('keeps a stock item with one order: no jumping, a sold item is final', async () => {
    const [a, b] = [await order('paid'), await order('paid')];
    const i = await item();
    await db.query(`UPDATE stock_items SET status = 'reserved', order_id = $2 WHERE id = $1`, [i, a]);
    await expect(db.query(`UPDATE stock_items SET order_id = $2 WHERE id = $1`, [i, b])).rejects.toThrow(/belongs to order/);
    await db.query(`UPDATE stock_items SET status = 'sold' WHERE id = $1`, [i]);
    await expect(db.query(`UPDATE stock_items SET status = 'available', order_id = NULL WHERE id = $1`, [i])).rejects.toThrow(/sold/);
    await expect(db.query(`UPDATE stock_items SET status = 'reserved', order_id = NULL WHERE id = $1`, [i])).rejects.toBeTruthy();
  });

  it('refuses a delivered purchase without its delivery message in the same transaction', async () => {
    const o = await order('paid');
    await expect(db.query(`UPDATE orders SET status = 'delivered' WHERE id = $1`, [o])).rejects.toThrow(/without a delivery message/);
    await db.transaction(async (sql) => {
      await sql.query(`UPDATE orders SET status = 'delivered' WHERE id = $1`, [o]);
      await sql.query(`INSERT INTO outbox (recipient, body, kind, order_id) VALUES ('6281111111111', 'goods', 'delivery', $1)`, [o]);
    });
    expect((await db.query(`SELECT status FROM orders WHERE id = $1`, [o]))[0]).toEqual({ status: 'delivered' });
  });

  it('refuses an order inserted delivered without its delivery message in the same transaction', async () => {
    const insert = (sql: Pick<Database, 'query'>, id: string) =>
      sql.query<{ id: unknown }>(
        `INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, paid_at, delivered_at)
         VALUES ($1, $2, 'purchase', $3, 1, 1000, 1000, 'balance', 'delivered', now(), now()) RETURNING id`,
        [id, userId, productId],
      );
    await expect(insert(db, `KD-INV-${++seq}`)).rejects.toThrow(/without a delivery message/);
    const id = `KD-INV-${++seq}`;
    await db.transaction(async (sql) => {
      const [o] = await insert(sql, id);
      await sql.query(`INSERT INTO outbox (recipient, body, kind, order_id) VALUES ('6281111111111', 'goods', 'delivery', $1)`, [o!.id]);
    });
    expect(await db.query(`SELECT status FROM orders WHERE public_id = $1`, [id])).toEqual([{ status: 'delivered' }]);
  });
});
