import type { ClaimRepo, ClaimStatus, WarrantyClaim } from '../../../app/ports.js';
import type { Sql } from '../db.js';

type Row = Record<string, unknown>;
const at = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const COLUMNS = `c.id, c.order_id, o.public_id, u.wa_id, o.product_id, p.code, p.name, c.reason, c.status, c.answer, c.created_at, c.closed_at
  FROM warranty_claims c JOIN orders o ON o.id = c.order_id JOIN users u ON u.id = o.user_id LEFT JOIN products p ON p.id = o.product_id`;

const toClaim = (r: Row): WarrantyClaim => ({
  claimId: String(r.id),
  orderId: String(r.order_id),
  publicId: String(r.public_id),
  waId: String(r.wa_id),
  productId: text(r.product_id),
  productCode: text(r.code),
  productName: text(r.name),
  reason: String(r.reason),
  status: String(r.status) as ClaimStatus,
  answer: text(r.answer),
  createdAt: at(r.created_at) ?? new Date(0),
  closedAt: at(r.closed_at),
});

export const claimRepo = (sql: Sql): ClaimRepo => ({
  async open(orderId, reason) {
    const rows = await sql.query('INSERT INTO warranty_claims (order_id, reason) VALUES ($1, $2) ON CONFLICT (order_id) WHERE status = \'open\' DO NOTHING RETURNING id', [orderId, reason]);
    return rows.length === 1;
  },
  async lockOpen(orderId) {
    const [row] = await sql.query<Row>(`SELECT ${COLUMNS} WHERE c.order_id = $1 AND c.status = 'open' FOR UPDATE OF c`, [orderId]);
    return row ? toClaim(row) : null;
  },
  async close(claimId, status, by, answer) {
    const [row] = await sql.query<Row>(
      `UPDATE warranty_claims SET status = $2, closed_by = $3, answer = $4, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING order_id`,
      [claimId, status, by, answer],
    );
    if (!row) throw new Error(`claim ${claimId} is not open`);
    if (status === 'replaced') await sql.query('UPDATE orders SET replaced = replaced + 1, updated_at = now() WHERE id = $1', [row.order_id]);
  },
  async listOpen(limit) {
    return (await sql.query<Row>(`SELECT ${COLUMNS} WHERE c.status = 'open' ORDER BY c.created_at LIMIT $1`, [limit])).map(toClaim);
  },
  async warrantyOf(orderId) {
    const [row] = await sql.query<Row>('SELECT coalesce(p.warranty_days, 0) AS days, o.delivered_at FROM orders o LEFT JOIN products p ON p.id = o.product_id WHERE o.id = $1', [orderId]);
    return { days: Number(row?.days ?? 0), deliveredAt: at(row?.delivered_at) };
  },
  async setWarranty(code, days) {
    return (await sql.query('UPDATE products SET warranty_days = $2, updated_at = now() WHERE code = $1 AND active RETURNING 1', [code, days])).length === 1;
  },
});
