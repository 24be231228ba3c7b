import type { Sql } from './db.js';

/** Every order, oldest first, as the CSV export shows it (column order is the CSV's). */
export async function ordersForExport(sql: Sql): Promise<Record<string, unknown>[]> {
  return sql.query<Record<string, unknown>>(
    `SELECT o.public_id, o.created_at, u.wa_id, o.kind, p.code, o.qty, o.unit_price, o.total, o.payment_method, o.status, o.paid_at, o.delivered_at
       FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN products p ON p.id = o.product_id ORDER BY o.id`,
  );
}
