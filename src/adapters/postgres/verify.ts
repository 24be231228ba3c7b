import type { Sql } from './db.js';

export interface Violation {
  invariant: string;
  rows: Record<string, unknown>[];
}

/**
 * The design's invariants as queries that must return no rows. Used by
 * `npm run verify` on a live database and by the property-based and chaos tests.
 */
const CHECKS: { invariant: string; sql: string }[] = [
  {
    invariant: 'a reserved item belongs to a pending order',
    sql: `SELECT s.id AS item, o.public_id, o.status FROM stock_items s JOIN orders o ON o.id = s.order_id
           WHERE s.status = 'reserved' AND o.status <> 'pending'`,
  },
  {
    invariant: 'a sold item belongs to a delivered (or later refunded or reversed) order',
    sql: `SELECT s.id AS item, o.public_id, o.status FROM stock_items s JOIN orders o ON o.id = s.order_id
           WHERE s.status = 'sold' AND o.status NOT IN ('delivered', 'refunded', 'reversed')`,
  },
  {
    invariant: 'a delivered purchase has exactly its quantity of sold items, and one more for each replacement under warranty',
    sql: `SELECT o.public_id, o.qty, o.replaced, count(s.id) AS sold FROM orders o LEFT JOIN stock_items s ON s.order_id = o.id AND s.status = 'sold'
           WHERE o.kind = 'purchase' AND o.target IS NULL AND NOT o.by_hand AND o.status = 'delivered' GROUP BY o.id HAVING count(s.id) <> o.qty + o.replaced`,
  },
  {
    invariant: 'a delivered purchase has its delivery message',
    sql: `SELECT o.public_id FROM orders o WHERE o.kind = 'purchase' AND o.status = 'delivered'
           AND NOT EXISTS (SELECT 1 FROM outbox m WHERE m.order_id = o.id AND m.kind = 'delivery')`,
  },
  {
    invariant: 'a balance equals the sum of its ledger and is never negative',
    sql: `SELECT u.wa_id, u.balance, coalesce(sum(l.amount), 0) AS ledger FROM users u LEFT JOIN ledger_entries l ON l.user_id = u.id
           GROUP BY u.id HAVING u.balance <> coalesce(sum(l.amount), 0) OR u.balance < 0`,
  },
  {
    invariant: 'a voucher counts exactly its uses not given back, and never more than its maximum',
    sql: `SELECT v.code, v.uses, v.max_uses, count(u.id) AS held FROM vouchers v LEFT JOIN voucher_uses u ON u.voucher_id = v.id AND u.released_at IS NULL
           GROUP BY v.id HAVING v.uses <> count(u.id) OR (v.max_uses IS NOT NULL AND count(u.id) > v.max_uses)`,
  },
  {
    invariant: 'an order closed unpaid holds no voucher use, and a discounted order holds one',
    sql: `SELECT o.public_id, o.status, o.voucher_code FROM orders o LEFT JOIN voucher_uses u ON u.order_id = o.id
           WHERE (o.status IN ('expired', 'cancelled', 'failed') AND u.id IS NOT NULL AND u.released_at IS NULL)
              OR (o.discount > 0 AND u.id IS NULL)`,
  },
  {
    invariant: 'at most one pending order per user',
    sql: `SELECT user_id, count(*) AS pending FROM orders WHERE status = 'pending' GROUP BY user_id HAVING count(*) > 1`,
  },
  {
    invariant: 'a balance purchase is debited exactly once, by its total',
    sql: `SELECT o.public_id, coalesce(sum(l.amount), 0) AS debited FROM orders o
            LEFT JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'purchase'
           WHERE o.payment_method = 'balance' AND o.status IN ('paid', 'delivered', 'refunded')
           GROUP BY o.id HAVING coalesce(sum(l.amount), 0) <> -o.total`,
  },
  {
    invariant: 'a paid deposit is credited exactly once, by its total',
    sql: `SELECT o.public_id, coalesce(sum(l.amount), 0) AS credited FROM orders o
            LEFT JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'deposit'
           WHERE o.kind = 'deposit' GROUP BY o.id
          HAVING coalesce(sum(l.amount), 0) <> CASE WHEN o.status IN ('delivered', 'reversed') THEN o.total ELSE 0 END`,
  },
  {
    invariant: 'a settled payment has its effect (the order is paid, delivered, refunded or reversed)',
    sql: `SELECT DISTINCT o.public_id, o.status FROM payment_events e JOIN orders o ON o.id = e.order_id
           WHERE e.applied_at IS NOT NULL AND e.outcome = 'paid' AND o.status NOT IN ('paid', 'delivered', 'refunded', 'reversed')`,
  },
  {
    invariant: 'a reversed order took back what it could and records the rest as owed; a reversal entry belongs to a reversed order',
    sql: `SELECT o.public_id, o.status, o.total, o.owed, coalesce(-sum(l.amount), 0) AS taken FROM orders o
            LEFT JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'reversal'
           WHERE o.status = 'reversed' OR l.id IS NOT NULL GROUP BY o.id
          HAVING o.status <> 'reversed' OR coalesce(-sum(l.amount), 0) + o.owed <> o.total`,
  },
  {
    invariant: "a product's available items are exactly the positions between its counters",
    sql: `SELECT p.code, p.stock_added - p.stock_claimed AS counted, count(s.id) AS available,
                 min(s.position) AS lowest, max(s.position) AS highest
            FROM products p LEFT JOIN stock_items s ON s.product_id = p.id AND s.status = 'available'
           GROUP BY p.id
          HAVING count(s.id) <> p.stock_added - p.stock_claimed
              OR min(s.position) <= p.stock_claimed OR max(s.position) > p.stock_added`,
  },
  {
    invariant: 'an unpaid order that closed holds no items',
    sql: `SELECT o.public_id, o.status FROM orders o JOIN stock_items s ON s.order_id = o.id
           WHERE o.status IN ('expired', 'cancelled', 'failed')`,
  },
  {
    invariant: 'a top-up has no stock items',
    sql: `SELECT o.public_id, s.id AS item FROM orders o JOIN stock_items s ON s.order_id = o.id WHERE o.target IS NOT NULL`,
  },
  {
    invariant: "a paid top-up is with the supplier under its own order id, and a delivered one has the supplier's success",
    sql: `SELECT o.public_id, o.status, so.ref_id, so.status AS supplier FROM orders o
            LEFT JOIN LATERAL (SELECT * FROM supplier_orders x WHERE x.order_id = o.id ORDER BY x.attempt DESC LIMIT 1) so ON true
           WHERE (o.target IS NOT NULL AND o.status = 'paid' AND so.order_id IS NULL)
              OR (o.target IS NOT NULL AND o.status = 'delivered' AND so.status IS DISTINCT FROM 'success')
              OR (so.order_id IS NOT NULL AND (so.ref_id <> CASE so.attempt WHEN 1 THEN o.public_id ELSE o.public_id || '-2' END OR o.target IS NULL OR so.customer_no <> o.target))`,
  },
  {
    invariant: 'a top-up the supplier failed is refunded exactly once, by its total (none when the bank reversed the payment first)',
    sql: `SELECT so.ref_id, o.status, o.total, coalesce(sum(l.amount), 0) AS refunded FROM supplier_orders so JOIN orders o ON o.id = so.order_id
            LEFT JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'refund'
           WHERE so.status = 'failed' AND NOT EXISTS (SELECT 1 FROM supplier_orders later WHERE later.order_id = so.order_id AND later.attempt > so.attempt)
           GROUP BY so.ref_id, o.status, o.total
          HAVING NOT ((o.status = 'refunded' AND coalesce(sum(l.amount), 0) = o.total)
                   OR (o.status = 'reversed' AND coalesce(sum(l.amount), 0) IN (0, o.total)))`,
  },
  {
    invariant: 'a top-up the supplier delivered was not refunded by kedai',
    sql: `SELECT so.ref_id, o.status FROM supplier_orders so JOIN orders o ON o.id = so.order_id
            JOIN ledger_entries l ON l.order_id = o.id AND l.kind = 'refund'
           WHERE so.status = 'success' AND l.note LIKE 'top-up failed%'`,
  },
  {
    invariant: 'nothing is refunded while the supplier may still deliver the top-up',
    sql: `SELECT so.ref_id, so.status, o.status AS order_status FROM supplier_orders so JOIN orders o ON o.id = so.order_id
           WHERE so.status IN ('queued', 'pending', 'unknown')
             AND (o.status = 'refunded' OR EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_id = o.id AND l.kind = 'refund'))`,
  },
  {
    invariant: 'a top-up is bought as it was sold: its SKU, at most its cost',
    sql: `SELECT so.ref_id, so.attempt, so.sku, so.max_price, o.supplier_sku, o.supplier_cost, o.backup_sku, o.backup_cost FROM supplier_orders so JOIN orders o ON o.id = so.order_id
           WHERE (so.attempt = 1 AND (so.sku IS DISTINCT FROM o.supplier_sku OR so.supplier IS DISTINCT FROM o.supplier OR o.supplier_cost IS NULL OR so.max_price > o.supplier_cost))
              OR (so.attempt = 2 AND (so.sku IS DISTINCT FROM o.backup_sku OR so.supplier IS DISTINCT FROM o.backup_supplier OR o.backup_cost IS NULL OR so.max_price > o.backup_cost))`,
  },
  {
    invariant: 'never two supplier transactions that may succeed for one purchase; a backup only after the first failed',
    sql: `SELECT o.public_id, array_agg(so.supplier || ':' || so.status ORDER BY so.attempt) AS attempts FROM supplier_orders so JOIN orders o ON o.id = so.order_id
           GROUP BY o.public_id
          HAVING count(*) FILTER (WHERE so.status <> 'failed') > 1 OR count(*) FILTER (WHERE so.status = 'success') > 1
              OR (bool_or(so.attempt = 2) AND NOT bool_or(so.attempt = 1 AND so.status = 'failed'))`,
  },
  {
    invariant: 'a warranty replacement is an item sold to its order: every replaced claim has one, and no order more replacements than claims granted',
    sql: `SELECT o.public_id, o.replaced, count(c.id) FILTER (WHERE c.status = 'replaced') AS granted FROM orders o LEFT JOIN warranty_claims c ON c.order_id = o.id
           WHERE o.replaced > 0 OR c.id IS NOT NULL GROUP BY o.id HAVING o.replaced <> count(c.id) FILTER (WHERE c.status = 'replaced')`,
  },
  {
    invariant: 'an order delivered by hand has its admin\'s message and no stock items; only such an order has one',
    sql: `SELECT o.public_id, o.status, o.by_hand, o.hand_message IS NOT NULL AS has_message, (SELECT count(*) FROM stock_items s WHERE s.order_id = o.id) AS items FROM orders o
           WHERE (o.by_hand AND o.status = 'delivered' AND o.hand_message IS NULL) OR (NOT o.by_hand AND o.hand_message IS NOT NULL)
              OR (o.by_hand AND EXISTS (SELECT 1 FROM stock_items s WHERE s.order_id = o.id))`,
  },
  {
    invariant: 'a commission is paid once per delivered purchase of a referred buyer, to their referrer, at its percentage of the total (rounded down)',
    sql: `SELECT o.public_id, c.amount, c.percent, o.total, c.referrer_id, u.referred_by FROM commissions c JOIN orders o ON o.id = c.order_id JOIN users u ON u.id = o.user_id
           WHERE o.kind <> 'purchase' OR u.referred_by IS DISTINCT FROM c.referrer_id OR c.amount <> floor(o.total * c.percent / 100)
              OR (o.status NOT IN ('delivered', 'refunded', 'reversed'))`,
  },
];

export async function verifyInvariants(sql: Sql): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const check of CHECKS) {
    const rows = await sql.query<Record<string, unknown>>(`${check.sql} LIMIT 20`);
    if (rows.length) violations.push({ invariant: check.invariant, rows });
  }
  return violations;
}
