import type { WishRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';

type Row = Record<string, unknown>;
const at = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

export const wishRepo = (sql: Sql): WishRepo => ({
  async add(waId, productId, expiresAt, max) {
    const rows = await sql.query<Row>(
      `INSERT INTO stock_wishes (wa_id, product_id, expires_at)
       SELECT $1, $2, $3 WHERE (SELECT count(*) FROM stock_wishes WHERE wa_id = $1 AND product_id <> $2 AND expires_at > now()) < $4
       ON CONFLICT (wa_id, product_id) DO UPDATE SET created_at = now(), expires_at = excluded.expires_at
       RETURNING 1`,
      [waId, productId, expiresAt, max],
    );
    return rows.length === 1;
  },
  async list(waId) {
    const rows = await sql.query<Row>(
      `SELECT p.code, p.name, w.created_at, w.expires_at FROM stock_wishes w JOIN products p ON p.id = w.product_id
        WHERE w.wa_id = $1 AND w.expires_at > now() ORDER BY w.created_at`,
      [waId],
    );
    return rows.map((r) => ({ code: String(r.code), name: String(r.name), createdAt: at(r.created_at), expiresAt: at(r.expires_at) }));
  },
  async drop(waId, productId) {
    return (await sql.query('DELETE FROM stock_wishes WHERE wa_id = $1 AND product_id = $2 AND expires_at > now() RETURNING 1', [waId, productId])).length === 1;
  },
  async takeFor(productId) {
    const rows = await sql.query<Row>('DELETE FROM stock_wishes WHERE product_id = $1 RETURNING wa_id, expires_at > now() AS live', [productId]);
    return rows.filter((r) => r.live === true).map((r) => String(r.wa_id));
  },
  async wishedTopups() {
    const rows = await sql.query<Row>(
      `SELECT DISTINCT p.code FROM stock_wishes w JOIN products p ON p.id = w.product_id
        WHERE w.expires_at > now() AND p.supplier_sku IS NOT NULL AND p.active ORDER BY p.code`,
    );
    return rows.map((r) => String(r.code));
  },
  async waiting(limit) {
    const rows = await sql.query<Row>(
      `SELECT p.code, p.name, count(*) AS buyers FROM stock_wishes w JOIN products p ON p.id = w.product_id
        WHERE w.expires_at > now() GROUP BY p.id ORDER BY count(*) DESC, p.code LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ code: String(r.code), name: String(r.name), buyers: Number(r.buyers) }));
  },
  async notices(since) {
    const [row] = await sql.query<Row>(
      `SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'dead') AS skipped,
              count(*) FILTER (WHERE status IN ('pending', 'sending')) AS queued
         FROM outbox WHERE kind = 'restock' AND created_at >= $1`,
      [since],
    );
    return { sent: Number(row?.sent ?? 0), skipped: Number(row?.skipped ?? 0), queued: Number(row?.queued ?? 0) };
  },
});
