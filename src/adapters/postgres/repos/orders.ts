import type { OrderRepo } from '../../../app/ports.js';
import { DomainError } from '../../../domain/errors.js';
import { pgError, type Sql } from '../db.js';
import { buyBatcher } from './buy-batch.js';
import { ORDER_COLUMNS, ORDER_FROM, ORDER_JOINS, toOrder } from './rows.js';

export const ordersRepo = (sql: Sql, onEnqueue: () => void): OrderRepo => {
  const one = async (where: string, params: unknown[], lock = false) => {
    const rows = await sql.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE ${where}${lock ? ' FOR UPDATE OF o' : ''}`, params);
    return rows[0] ? toOrder(rows[0]) : null;
  };
  // Concurrent purchases of one product share a statement and a commit (buy-batch.ts).
  const buy = buyBatcher(sql);
  return {
    async buyWithBalance(b) {
      const row = await buy(b);
      switch (row?.result) {
        case 'ok':
          // The caller drops the cached profile and catalogue itself, and waits for it (the next read sees the sale).
          onEnqueue();
          return {
            result: 'ok',
            orderId: String(row.order_id),
            balanceAfter: Number(row.balance_after),
            remaining: Number(row.remaining),
            productId: String(row.product_id),
            productName: row.product_name,
            unitPrice: Number(row.unit_price),
          };
        case 'held':
          return { result: 'held', reason: row.detail ?? '' };
        case 'in_progress':
          return { result: 'in_progress', orderId: row.detail ?? '' };
        case 'sold_out':
          return { result: 'sold_out', available: Number(row.detail ?? 0) };
        case 'unknown_product':
        case 'insufficient':
          return { result: row.result };
        default:
          return { result: 'fallback' };
      }
    },
    async insert(o) {
      try {
        const rows = await sql.query(
          `WITH o AS (
             INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, expires_at, paid_at, discount, voucher_code, target,
                                 supplier, supplier_sku, supplier_cost, target_zone_length, supplier_postpaid, backup_supplier, backup_sku, backup_cost, detail, by_hand)
             VALUES ($1, $2, $3, $4, $5, $6, $5::int * $6::bigint - $10::bigint, $7, $9, $8, CASE WHEN $9 = 'paid' THEN now() END, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING *)
           SELECT ${ORDER_COLUMNS} FROM o ${ORDER_JOINS}`,
          [o.publicId, o.userId, o.kind, o.productId, o.qty, o.unitPrice, o.paymentMethod, o.expiresAt, o.status ?? 'pending', o.discount ?? 0, o.voucherCode ?? null, o.target ?? null,
           o.soldAs?.supplier ?? null, o.soldAs?.sku ?? null, o.soldAs?.cost ?? null, o.targetZoneLength ?? null, o.soldAs?.postpaid === true,
           o.soldAs?.backup?.supplier ?? null, o.soldAs?.backup?.sku ?? null, o.soldAs?.backup?.cost ?? null, o.detail ?? null, o.byHand === true],
        );
        return toOrder(rows[0]!);
      } catch (err) {
        // The partial unique index is the real guard against a second pending order.
        if (pgError(err).constraint === 'orders_one_pending_per_user') {
          const pending = await one(`o.user_id = $1 AND o.status = 'pending'`, [o.userId]).catch(() => null);
          throw new DomainError('TRANSACTION_IN_PROGRESS', { orderId: pending?.publicId ?? '' });
        }
        throw err;
      }
    },
    findByPublicId: (publicId) => one('o.public_id = $1', [publicId]),
    async deliverByHand(orderId, message) {
      const rows = await sql.query(
        `UPDATE orders SET status = 'delivered', delivered_at = now(), hand_message = $2, updated_at = now() WHERE id = $1 AND by_hand AND status = 'paid' RETURNING 1`,
        [orderId, message],
      );
      return rows.length === 1;
    },
    async handReminders(hours, limit) {
      const rows = await sql.query(
        `WITH due AS (SELECT id FROM orders WHERE by_hand AND status = 'paid' AND paid_at < now() - make_interval(hours => $1)
                        AND (hand_reminded_at IS NULL OR hand_reminded_at < now() - make_interval(hours => $1)) ORDER BY paid_at LIMIT $2 FOR UPDATE SKIP LOCKED),
              marked AS (UPDATE orders o SET hand_reminded_at = now() FROM due WHERE o.id = due.id RETURNING o.*)
         SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.id IN (SELECT id FROM marked) ORDER BY o.paid_at`,
        [hours, limit],
      );
      return rows.map(toOrder);
    },
    async waitingByHand(limit) {
      return (await sql.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.by_hand AND o.status = 'paid' ORDER BY o.paid_at LIMIT $1`, [limit])).map(toOrder);
    },
    lockByPublicId: (publicId) => one('o.public_id = $1', [publicId], true),
    pendingOf: (userId) => one(`o.user_id = $1 AND o.status = 'pending'`, [userId]),
    // Any order sold as the SKU (two codes may sell one SKU), and only a paid one: another buyer's unpaid
    // order blocks nobody; a failed, cancelled or refunded one does not count.
    repeatTopup: (sku, target, since) =>
      one(`o.supplier_sku = $1 AND o.target = $2 AND o.status IN ('paid', 'delivered') AND o.created_at >= $3 ORDER BY o.id DESC LIMIT 1`, [sku, target, since]),
    async recentOf(userId, limit) {
      const rows = await sql.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.user_id = $1 ORDER BY o.id DESC LIMIT $2`, [
        userId,
        limit,
      ]);
      return rows.map(toOrder);
    },
    async transition(orderId, from, to) {
      const rows = await sql.query(
        `UPDATE orders SET status = $3, updated_at = now(),
           paid_at = CASE WHEN $3 = 'paid' THEN now() ELSE paid_at END,
           delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END
         WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
        [orderId, from, to],
      );
      return rows.length === 1;
    },
    async markReview(orderId) {
      const rows = await sql.query(`UPDATE orders SET review_since = now(), updated_at = now() WHERE id = $1 AND status = 'pending' AND review_since IS NULL RETURNING id`, [orderId]);
      return rows.length === 1;
    },
    async reverse(orderId, from, owed) {
      const rows = await sql.query(
        `UPDATE orders SET status = 'reversed', owed = $3, reversed_at = now(), updated_at = now() WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
        [orderId, from, owed],
      );
      return rows.length === 1;
    },
    async claimLinkless(olderThanS, limit) {
      const rows = await sql.query(
        `WITH claimed AS (
           UPDATE orders SET checked_at = now()
            WHERE id IN (SELECT id FROM orders
                          WHERE status = 'pending' AND payment_method = 'gateway' AND payment_url IS NULL AND payment_qr IS NULL
                            AND created_at <= now() - make_interval(secs => $1::float8)
                            AND (checked_at IS NULL OR checked_at < now() - interval '60 seconds')
                          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING id)
         SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.id IN (SELECT id FROM claimed) ORDER BY o.id`,
        [olderThanS, limit],
      );
      return rows.map(toOrder);
    },
    async reversed(limit) {
      const rows = await sql.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.status = 'reversed' ORDER BY o.reversed_at DESC LIMIT $1`, [limit]);
      return rows.map(toOrder);
    },
    async claimOverdue(limit) {
      const rows = await sql.query(
        `WITH claimed AS (
           UPDATE orders SET checked_at = now()
            WHERE id IN (SELECT id FROM orders
                          WHERE status = 'pending' AND expires_at <= now() AND review_since IS NULL
                            AND (checked_at IS NULL OR checked_at < now() - interval '60 seconds')
                          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING id)
         SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.id IN (SELECT id FROM claimed) ORDER BY o.expires_at`,
        [limit],
      );
      return rows.map(toOrder);
    },
    async allPending(limit) {
      const rows = await sql.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.status = 'pending' ORDER BY o.id LIMIT $1`, [limit]);
      return rows.map(toOrder);
    },
    async setPaymentQr(orderId, qr, transactionId) {
      await sql.query('UPDATE orders SET payment_qr = $2, payment_token = $3, updated_at = now() WHERE id = $1', [orderId, qr, transactionId]);
    },
    async setPaymentLink(orderId, url, token) {
      await sql.query('UPDATE orders SET payment_url = $2, payment_token = $3, updated_at = now() WHERE id = $1', [orderId, url, token]);
    },
  };
};
