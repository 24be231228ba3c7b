import type { Confirmation, ConfirmationRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';

type Row = Record<string, unknown>;

const toConfirmation = (r: Row): Confirmation => ({
  waId: String(r.wa_id),
  kind: r.kind === 'topup' ? 'topup' : 'bill',
  productCode: String(r.product_code),
  target: String(r.target),
  targetZoneLength: r.target_zone_length === null || r.target_zone_length === undefined ? null : Number(r.target_zone_length),
  refId: r.ref_id === null || r.ref_id === undefined ? null : String(r.ref_id),
  supplier: String(r.supplier),
  sku: String(r.sku),
  cost: Number(r.cost),
  total: Number(r.total),
  ...(r.kind === 'topup' ? { topup: r.details as NonNullable<Confirmation['topup']> } : { bill: r.details as NonNullable<Confirmation['bill']> }),
  expiresAt: r.expires_at instanceof Date ? r.expires_at : new Date(String(r.expires_at)),
});

export const confirmationRepo = (sql: Sql): ConfirmationRepo => ({
  async put(c) {
    await sql.query(
      `INSERT INTO confirmations (wa_id, kind, product_code, target, target_zone_length, ref_id, supplier, sku, cost, total, details, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (wa_id) DO UPDATE SET kind = excluded.kind, product_code = excluded.product_code, target = excluded.target,
         target_zone_length = excluded.target_zone_length, ref_id = excluded.ref_id, supplier = excluded.supplier, sku = excluded.sku,
         cost = excluded.cost, total = excluded.total, details = excluded.details, created_at = now(), expires_at = excluded.expires_at`,
      [c.waId, c.kind, c.productCode, c.target, c.targetZoneLength, c.refId, c.supplier, c.sku, c.cost, c.total, JSON.stringify(c.bill ?? c.topup ?? {}), c.expiresAt],
    );
  },
  async take(waId) {
    // Taken whatever its age (an expired one is gone too); only a live one is returned.
    const [row] = await sql.query<Row>('DELETE FROM confirmations WHERE wa_id = $1 RETURNING *, expires_at > now() AS live', [waId]);
    return row && row.live === true ? toConfirmation(row) : null;
  },
  async peek(waId) {
    const [row] = await sql.query<Row>('SELECT * FROM confirmations WHERE wa_id = $1 AND expires_at > now()', [waId]);
    return row ? toConfirmation(row) : null;
  },
  async drop(waId) {
    const [row] = await sql.query<Row>('DELETE FROM confirmations WHERE wa_id = $1 RETURNING *, expires_at > now() AS live', [waId]);
    return row && row.live === true ? toConfirmation(row) : null;
  },
});
