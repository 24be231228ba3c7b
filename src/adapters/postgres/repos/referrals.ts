import type { ReferralRepo } from '../../../app/ports.js';
import { pgError, type Sql } from '../db.js';
import { toUser } from './rows.js';

type Row = Record<string, unknown>;
const at = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

export const referralRepo = (sql: Sql): ReferralRepo => ({
  async setCode(userId, code) {
    try {
      await sql.query('UPDATE users SET ref_code = coalesce(ref_code, $2) WHERE id = $1', [userId, code]);
      return true;
    } catch (err) {
      if (pgError(err).constraint === 'users_ref_code_key') return false;
      throw err;
    }
  },
  async byCode(code) {
    const [row] = await sql.query<Row>('SELECT * FROM users WHERE ref_code = $1', [code]);
    return row ? toUser(row) : null;
  },
  async chain(userId, depth) {
    const rows = await sql.query<Row>(
      `WITH RECURSIVE up(id, n) AS (SELECT referred_by, 1 FROM users WHERE id = $1 AND referred_by IS NOT NULL
         UNION ALL SELECT u.referred_by, up.n + 1 FROM up JOIN users u ON u.id = up.id WHERE u.referred_by IS NOT NULL AND up.n < $2)
       SELECT id FROM up`,
      [userId, depth],
    );
    return rows.map((r) => String(r.id));
  },
  async join(userId, referrerId) {
    return (await sql.query('UPDATE users SET referred_by = $2, referred_at = now() WHERE id = $1 AND referred_by IS NULL RETURNING 1', [userId, referrerId])).length === 1;
  },
  async hasDelivered(userId) {
    return (await sql.query(`SELECT 1 FROM orders WHERE user_id = $1 AND kind = 'purchase' AND status = 'delivered' LIMIT 1`, [userId])).length === 1;
  },
  async stats(userId) {
    const [row] = await sql.query<Row>(
      `SELECT (SELECT count(*) FROM users WHERE referred_by = $1) AS referred,
              (SELECT count(*) FROM commissions WHERE referrer_id = $1) AS commissions,
              (SELECT coalesce(sum(amount - coalesce(taken_back, 0) - owed), 0) FROM commissions WHERE referrer_id = $1) AS earned`,
      [userId],
    );
    return { earned: Number(row?.earned ?? 0), referred: Number(row?.referred ?? 0), commissions: Number(row?.commissions ?? 0) };
  },
  async due(limit) {
    const rows = await sql.query<Row>(
      `SELECT o.id, o.public_id, o.total, u.referred_by FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.kind = 'purchase' AND o.status = 'delivered' AND u.referred_by IS NOT NULL AND o.created_at >= u.referred_at
          AND NOT EXISTS (SELECT 1 FROM commissions c WHERE c.order_id = o.id)
        ORDER BY o.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ orderId: String(r.id), publicId: String(r.public_id), total: Number(r.total), referrerId: String(r.referred_by) }));
  },
  async record(orderId, referrerId, percent, amount) {
    const rows = await sql.query('INSERT INTO commissions (order_id, referrer_id, percent, amount) VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING RETURNING 1', [orderId, referrerId, percent, amount]);
    return rows.length === 1;
  },
  async dueBack(limit) {
    const rows = await sql.query<Row>(
      `SELECT c.order_id, o.public_id, c.referrer_id, c.amount FROM commissions c JOIN orders o ON o.id = c.order_id
        WHERE c.taken_back_at IS NULL AND o.status IN ('refunded', 'reversed') ORDER BY c.order_id LIMIT $1 FOR UPDATE OF c SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({ orderId: String(r.order_id), publicId: String(r.public_id), referrerId: String(r.referrer_id), amount: Number(r.amount) }));
  },
  async markTakenBack(orderId, taken, owed) {
    await sql.query('UPDATE commissions SET taken_back = $2, owed = $3, taken_back_at = now() WHERE order_id = $1 AND taken_back_at IS NULL', [orderId, taken, owed]);
  },
  async referrers(limit) {
    const rows = await sql.query<Row>(
      `SELECT u.wa_id, u.name, u.ref_code,
              (SELECT count(*) FROM users b WHERE b.referred_by = u.id) AS referred,
              (SELECT count(*) FROM users b WHERE b.referred_by = u.id
                  AND EXISTS (SELECT 1 FROM orders o WHERE o.user_id = b.id AND o.kind = 'purchase' AND o.status = 'delivered')) AS buying,
              coalesce(c.earned, 0) AS earned, coalesce(c.owed, 0) AS owed
         FROM users u
         LEFT JOIN (SELECT referrer_id, sum(amount - coalesce(taken_back, 0) - owed) AS earned, sum(owed) AS owed FROM commissions GROUP BY referrer_id) c ON c.referrer_id = u.id
        WHERE EXISTS (SELECT 1 FROM users b WHERE b.referred_by = u.id)
        ORDER BY coalesce(c.earned, 0) DESC, u.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      waId: String(r.wa_id),
      name: String(r.name ?? ''),
      code: r.ref_code === null ? null : String(r.ref_code),
      referred: Number(r.referred),
      buying: Number(r.buying),
      earned: Number(r.earned),
      owed: Number(r.owed),
    }));
  },
  async recent(limit) {
    const rows = await sql.query<Row>(
      `SELECT o.public_id, r.wa_id AS referrer, b.wa_id AS buyer, c.amount, c.percent, c.taken_back, c.owed, c.created_at
         FROM commissions c JOIN orders o ON o.id = c.order_id JOIN users r ON r.id = c.referrer_id JOIN users b ON b.id = o.user_id
        ORDER BY c.created_at DESC, c.order_id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      publicId: String(r.public_id),
      referrer: String(r.referrer),
      buyer: String(r.buyer),
      amount: Number(r.amount),
      percent: Number(r.percent),
      takenBack: r.taken_back === null ? null : Number(r.taken_back),
      owed: Number(r.owed),
      createdAt: at(r.created_at),
    }));
  },
  async joined(limit) {
    const rows = await sql.query<Row>(
      `SELECT b.wa_id, b.name, r.wa_id AS referrer, b.referred_at FROM users b JOIN users r ON r.id = b.referred_by
        WHERE b.referred_by IS NOT NULL ORDER BY b.referred_at DESC, b.id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ waId: String(r.wa_id), name: String(r.name ?? ''), referrer: String(r.referrer), at: at(r.referred_at) }));
  },
});
