import type { ReportRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';

const SOLD = `o.kind = 'purchase' AND o.paid_at IS NOT NULL AND o.status IN ('paid', 'delivered')`;

export const reportsRepo = (sql: Sql): ReportRepo => ({
  async sales(since) {
    const [sum] = await sql.query<{ orders: unknown; revenue: unknown }>(
      `SELECT count(*) AS orders, coalesce(sum(o.total), 0) AS revenue FROM orders o WHERE ${SOLD} AND o.paid_at >= $1`,
      [since],
    );
    const top = await sql.query<{ code: string; name: string; qty: unknown; revenue: unknown }>(
      `SELECT p.code, p.name, sum(o.qty) AS qty, sum(o.total) AS revenue
         FROM orders o JOIN products p ON p.id = o.product_id
        WHERE ${SOLD} AND o.paid_at >= $1
        GROUP BY p.code, p.name ORDER BY sum(o.total) DESC, p.code LIMIT 5`,
      [since],
    );
    return {
      orders: Number(sum?.orders ?? 0),
      revenue: Number(sum?.revenue ?? 0),
      top: top.map((t) => ({ code: t.code, name: t.name, qty: Number(t.qty), revenue: Number(t.revenue) })),
    };
  },
  async stats() {
    const [r] = await sql.query<Record<string, unknown>>(
      `SELECT (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM users WHERE last_seen_at > now() - interval '24 hours') AS active,
              (SELECT count(*) FROM products WHERE active) AS products,
              (SELECT count(*) FROM stock_items WHERE status = 'available') AS available,
              (SELECT count(*) FROM orders WHERE status = 'pending') AS pending,
              (SELECT coalesce(sum(balance), 0) FROM users) AS balances`,
    );
    return {
      users: Number(r?.users ?? 0),
      activeUsers24h: Number(r?.active ?? 0),
      products: Number(r?.products ?? 0),
      availableItems: Number(r?.available ?? 0),
      pendingOrders: Number(r?.pending ?? 0),
      balances: Number(r?.balances ?? 0),
    };
  },
});
