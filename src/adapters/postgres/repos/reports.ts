import type { ReportRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import { ORDER_COLUMNS, ORDER_FROM, toOrder, toUser } from './rows.js';
import { ledgerExportPage, ordersExportPage } from '../export.js';

const SOLD = `o.kind = 'purchase' AND o.paid_at IS NOT NULL AND o.status IN ('paid', 'delivered')`;
/** An order's cost, where known: a top-up's supplier price (what it charged, or the cost it was sold at); a stock product's cost when ordered. */
const ORDER_COST = `CASE WHEN o.target IS NOT NULL AND o.supplier_cost IS NOT NULL AND o.supplier <> 'unknown' THEN coalesce(so.price, CASE WHEN so.attempt = 2 THEN o.backup_cost ELSE o.supplier_cost END)
                         WHEN o.target IS NULL AND o.unit_cost IS NOT NULL THEN o.unit_cost * o.qty END`;

export const reportsRepo = (sql: Sql): ReportRepo => ({
  async sales(since, until) {
    // Profit where the cost is known: a top-up's supplier price (what it charged, or at most the cost it was sold at);
    // a stock product's cost when the order was placed (`.setmodal`, migration 026).
    const [sum] = await sql.query<{ orders: unknown; revenue: unknown; costed: unknown; profit: unknown }>(
      `SELECT count(*) AS orders, coalesce(sum(o.total), 0) AS revenue,
              coalesce(sum(o.total) FILTER (WHERE c.cost IS NOT NULL), 0) AS costed,
              coalesce(sum(o.total - c.cost) FILTER (WHERE c.cost IS NOT NULL), 0) AS profit
         FROM orders o LEFT JOIN LATERAL (SELECT x.price, x.attempt FROM supplier_orders x WHERE x.order_id = o.id ORDER BY x.attempt DESC LIMIT 1) so ON true
         CROSS JOIN LATERAL (SELECT ${ORDER_COST} AS cost) c
        WHERE ${SOLD} AND o.paid_at >= $1 AND ($2::timestamptz IS NULL OR o.paid_at < $2)`,
      [since, until ?? null],
    );
    const top = await sql.query<{ code: string; name: string; qty: unknown; revenue: unknown; profit: unknown }>(
      `SELECT p.code, p.name, sum(o.qty) AS qty, sum(o.total) AS revenue,
              CASE WHEN bool_and(c.cost IS NOT NULL) THEN sum(o.total - c.cost) END AS profit
         FROM orders o JOIN products p ON p.id = o.product_id LEFT JOIN LATERAL (SELECT x.price, x.attempt FROM supplier_orders x WHERE x.order_id = o.id ORDER BY x.attempt DESC LIMIT 1) so ON true
         CROSS JOIN LATERAL (SELECT ${ORDER_COST} AS cost) c
        WHERE ${SOLD} AND o.paid_at >= $1 AND ($2::timestamptz IS NULL OR o.paid_at < $2)
        GROUP BY p.code, p.name ORDER BY sum(o.total) DESC, p.code LIMIT 5`,
      [since, until ?? null],
    );
    const [paid] = await sql.query<{ n: unknown; amount: unknown }>(
      `SELECT count(*) AS n, coalesce(sum(amount - coalesce(taken_back, 0) - owed), 0) AS amount FROM commissions
        WHERE created_at >= $1 AND ($2::timestamptz IS NULL OR created_at < $2)`,
      [since, until ?? null],
    );
    return {
      commissions: { count: Number(paid?.n ?? 0), amount: Number(paid?.amount ?? 0) },
      orders: Number(sum?.orders ?? 0),
      revenue: Number(sum?.revenue ?? 0),
      costedRevenue: Number(sum?.costed ?? 0),
      profit: Number(sum?.profit ?? 0),
      top: top.map((t) => ({ code: t.code, name: t.name, qty: Number(t.qty), revenue: Number(t.revenue), profit: t.profit === null || t.profit === undefined ? null : Number(t.profit) })),
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
  async dailyRevenue(days) {
    const rows = await sql.query<{ day: string; revenue: unknown; orders: unknown }>(
      `SELECT to_char(date_trunc('day', o.paid_at AT TIME ZONE 'Asia/Jakarta'), 'YYYY-MM-DD') AS day, sum(o.total) AS revenue, count(*) AS orders
         FROM orders o WHERE ${SOLD} AND o.paid_at > now() - make_interval(days => $1)
        GROUP BY 1 ORDER BY 1`,
      [days],
    );
    return rows.map((r) => ({ day: r.day, revenue: Number(r.revenue), orders: Number(r.orders) }));
  },
  ordersExport: (filter, afterId, limit) => ordersExportPage(sql, filter, afterId, limit),
  ledgerExport: (afterId, limit) => ledgerExportPage(sql, afterId, limit),
  async heldForReview(limit) {
    const rows = await sql.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o.status = 'pending' AND o.review_since IS NOT NULL ORDER BY o.review_since LIMIT $1`, [limit]);
    return rows.map(toOrder);
  },
  async newBuyersSince(since) {
    const [r] = await sql.query<{ n: unknown }>('SELECT count(*) AS n FROM users WHERE created_at >= $1', [since]);
    return Number(r?.n ?? 0);
  },
  async lowStock(atMost, limit) {
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT code, name, stock_added - stock_claimed AS available FROM products
        WHERE active AND supplier_sku IS NULL AND stock_added - stock_claimed <= $1
        ORDER BY stock_added - stock_claimed, code LIMIT $2`,
      [atMost, limit],
    );
    return rows.map((r) => ({ code: String(r.code), name: String(r.name), available: Number(r.available) }));
  },
  async stockCounts(codes) {
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT p.code, p.name, p.active, p.supplier_sku IS NOT NULL AS topup,
              count(*) FILTER (WHERE s.status = 'available') AS available,
              count(*) FILTER (WHERE s.status = 'reserved') AS reserved,
              count(*) FILTER (WHERE s.status = 'sold') AS sold
         FROM products p LEFT JOIN stock_items s ON s.product_id = p.id
        WHERE $1::text[] IS NULL OR p.code = ANY($1)
        GROUP BY p.id ORDER BY p.active DESC, p.code`,
      [codes ? [...codes] : null],
    );
    return rows.map((r) => ({
      code: String(r.code),
      name: String(r.name),
      active: Boolean(r.active),
      topup: Boolean(r.topup),
      available: Number(r.available),
      reserved: Number(r.reserved),
      sold: Number(r.sold),
    }));
  },
  async orders(filter, limit) {
    const rows = await sql.query(
      `SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM}
        WHERE ($1::text IS NULL OR o.status = $1) AND ($2::text IS NULL OR u.wa_id = $2)
          AND ($3::timestamptz IS NULL OR o.created_at >= $3) AND ($4::timestamptz IS NULL OR o.created_at < $4)
          AND ($6::text IS NULL OR o.public_id = $6) AND ($7::text IS NULL OR o.product_id = (SELECT id FROM products WHERE code = $7))
          AND ($8::bigint IS NULL OR o.id < $8)
        ORDER BY o.id DESC LIMIT $5`,
      [filter.status ?? null, filter.waId ?? null, filter.from ?? null, filter.to ?? null, limit, filter.publicId ?? null, filter.productCode ?? null, filter.beforeId ?? null],
    );
    return rows.map(toOrder);
  },
  async deadLetters(limit) {
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT recipient, left(body, 120) AS body, coalesce(last_error, '') AS error, coalesce(locked_until, next_attempt_at, created_at) AS at
         FROM outbox WHERE status = 'dead' AND kind <> 'restock' AND created_at > now() - interval '7 days' ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ recipient: String(r.recipient), body: String(r.body), error: String(r.error), at: new Date(r.at as string) }));
  },
  async deliveryReceipts(orderId) {
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT status, sent_at, delivered_at, read_at, last_error FROM outbox WHERE order_id = $1 AND kind = 'delivery' ORDER BY id`,
      [orderId],
    );
    const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    return rows.map((r) => ({ status: String(r.status), sentAt: at(r.sent_at), deliveredAt: at(r.delivered_at), readAt: at(r.read_at), lastError: r.last_error === null ? null : String(r.last_error) }));
  },
  async paymentEvents(orderId) {
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT received_at, transaction_status, outcome, flag, applied_at FROM payment_events WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    return rows.map((r) => ({
      receivedAt: r.received_at as Date,
      transactionStatus: String(r.transaction_status),
      outcome: r.outcome === null ? null : String(r.outcome),
      flag: r.flag === null ? null : String(r.flag),
      appliedAt: (r.applied_at as Date | null) ?? null,
    }));
  },
  async buyers(query, limit, offset = 0) {
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT * FROM users WHERE $1 = '' OR wa_id LIKE $1 || '%' OR name ILIKE '%' || $1 || '%' ORDER BY coalesce(last_seen_at, created_at) DESC LIMIT $2 OFFSET $3`,
      [query, limit, offset],
    );
    return rows.map((r) => ({ ...toUser(r), lastSeenAt: (r.last_seen_at as Date | null) ?? null }));
  },
});
