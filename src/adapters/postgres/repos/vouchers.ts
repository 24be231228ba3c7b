import type { Voucher, VoucherRepo } from '../../../app/ports.js';
import { DomainError } from '../../../domain/errors.js';
import { pgError, type Sql } from '../db.js';

const toVoucher = (r: Record<string, unknown>): Voucher => ({
  voucherId: String(r.id),
  code: String(r.code),
  discount: r.percent !== null && r.percent !== undefined ? { percent: Number(r.percent) } : { amount: Number(r.amount) },
  maxUses: r.max_uses === null || r.max_uses === undefined ? null : Number(r.max_uses),
  uses: Number(r.uses),
  expiresAt: r.expires_at ? new Date(r.expires_at as string) : null,
  active: Boolean(r.active),
});

/** The database's refusals of a use, as the buyer should hear them. */
const REFUSALS: Record<string, 'VOUCHER_USED_UP' | 'VOUCHER_ALREADY_USED' | 'VOUCHER_EXPIRED'> = {
  voucher_uses_within_max: 'VOUCHER_USED_UP',
  voucher_once_per_buyer: 'VOUCHER_ALREADY_USED',
  voucher_not_active: 'VOUCHER_EXPIRED',
};

export const vouchersRepo = (sql: Sql): VoucherRepo => ({
  async find(code) {
    const rows = await sql.query('SELECT * FROM vouchers WHERE code = $1', [code]);
    return rows[0] ? toVoucher(rows[0]) : null;
  },
  async create(v) {
    const rows = await sql.query(
      `INSERT INTO vouchers (code, percent, amount, max_uses, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO NOTHING RETURNING *`,
      [v.code, 'percent' in v.discount ? v.discount.percent : null, 'amount' in v.discount ? v.discount.amount : null, v.maxUses, v.expiresAt],
    );
    return rows[0] ? toVoucher(rows[0]) : null;
  },
  async deactivate(code) {
    return (await sql.query('UPDATE vouchers SET active = false WHERE code = $1 AND active RETURNING id', [code])).length === 1;
  },
  async list() {
    return (await sql.query('SELECT * FROM vouchers WHERE active ORDER BY code')).map(toVoucher);
  },
  async page(offset, limit) {
    const rows = await sql.query<Record<string, unknown>>('SELECT *, count(*) OVER () AS total FROM vouchers WHERE active ORDER BY code OFFSET $1 LIMIT $2', [offset, limit]);
    return { vouchers: rows.map(toVoucher), total: Number(rows[0]?.total ?? 0) };
  },
  async usedBy(voucherId, userId) {
    const rows = await sql.query('SELECT 1 FROM voucher_uses WHERE voucher_id = $1 AND user_id = $2 AND released_at IS NULL', [voucherId, userId]);
    return rows.length > 0;
  },
  async take(voucherId, userId, orderId) {
    try {
      await sql.query('INSERT INTO voucher_uses (voucher_id, user_id, order_id) VALUES ($1, $2, $3)', [voucherId, userId, orderId]);
    } catch (err) {
      const refusal = REFUSALS[pgError(err).constraint ?? ''];
      if (refusal) throw new DomainError(refusal);
      throw err;
    }
  },
});
