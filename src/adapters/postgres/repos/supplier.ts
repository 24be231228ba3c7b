import { CACHE } from '../../../app/cache-aside.js';
import type { SupplierCallbacks, SupplierOrder, SupplierOrderStatus, SupplierPrice, SupplierRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import type { ReportChange } from '../changes.js';
import { toProduct } from './rows.js';

type Row = Record<string, unknown>;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const when = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

const toSupplierOrder = (r: Row): SupplierOrder => ({
  orderId: String(r.order_id),
  refId: String(r.ref_id),
  supplier: String(r.supplier),
  sku: String(r.sku),
  customerNo: String(r.customer_no),
  maxPrice: Number(r.max_price),
  postpaid: r.postpaid === true,
  attempt: Number(r.attempt ?? 1),
  supplierRef: text(r.supplier_ref),
  zoneLength: r.zone_length === null || r.zone_length === undefined ? null : Number(r.zone_length),
  status: String(r.status) as SupplierOrderStatus,
  rc: text(r.rc),
  message: text(r.message),
  sn: text(r.sn),
  price: r.price === null || r.price === undefined ? null : Number(r.price),
  attempts: Number(r.attempts),
  sentBefore: r.sent_before === undefined ? r.first_sent_at !== null && r.first_sent_at !== undefined : Boolean(r.sent_before),
  processingTold: Boolean(r.processing_told),
  createdAt: when(r.created_at) ?? new Date(0),
  nextCheckAt: when(r.next_check_at),
  escalatedAt: when(r.escalated_at),
});

const toPrice = (r: Row): SupplierPrice => ({
  sku: String(r.sku),
  name: String(r.name),
  category: String(r.category),
  brand: String(r.brand),
  cost: Number(r.cost),
  active: Boolean(r.active),
  cutOffStart: String(r.cut_off_start),
  cutOffEnd: String(r.cut_off_end),
  multi: Boolean(r.multi),
  description: String(r.description),
  postpaid: r.postpaid === true,
  admin: Number(r.admin ?? 0),
});

const OPEN = `status IN ('queued', 'pending', 'unknown')`;

export const supplierRepo = (sql: Sql, changed: ReportChange): SupplierRepo => ({
  async create(o) {
    await sql.query(
      `INSERT INTO supplier_orders (order_id, supplier, ref_id, sku, customer_no, max_price, postpaid, attempt, next_check_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())`,
      [o.orderId, o.supplier, o.refId, o.sku, o.customerNo, o.maxPrice, o.postpaid, o.attempt ?? 1],
    );
  },
  async claimDue(limit, leaseSeconds) {
    // Marked sent at the lease, before the call: a process killed mid-call leaves a row whose next
    // call is a re-check (a refusal then never refunds a transaction the first call may have made).
    const rows = await sql.query(
      `WITH due AS (SELECT order_id, attempt, first_sent_at IS NOT NULL AS sent_before FROM supplier_orders
                     WHERE ${OPEN} AND next_check_at <= now() AND (locked_until IS NULL OR locked_until < now())
                     ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE supplier_orders so SET locked_until = now() + make_interval(secs => $2),
              first_sent_at = COALESCE(so.first_sent_at, now()), last_called_at = now()
         FROM due WHERE so.order_id = due.order_id AND so.attempt = due.attempt
        RETURNING so.*, due.sent_before, (SELECT o.target_zone_length FROM orders o WHERE o.id = so.order_id) AS zone_length`,
      [limit, leaseSeconds],
    );
    return rows.map(toSupplierOrder).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  },
  async markProcessingTold(refId) {
    const rows = await sql.query(`UPDATE supplier_orders SET processing_told = true WHERE ref_id = $1 AND NOT processing_told AND ${OPEN} RETURNING 1`, [refId]);
    return rows.length === 1;
  },
  async untold(olderThanMs, limit) {
    const rows = await sql.query<{ ref_id: string }>(
      `SELECT ref_id FROM supplier_orders WHERE NOT processing_told AND ${OPEN} AND created_at < now() - make_interval(secs => $1::float8 / 1000)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => String(r.ref_id));
  },
  async recheckSoon(refId, minGapSeconds) {
    const rows = await sql.query(
      `UPDATE supplier_orders SET next_check_at = greatest(now(), coalesce(last_called_at, now()) + make_interval(secs => $2))
        WHERE ref_id = $1 AND ${OPEN} AND next_check_at > greatest(now(), coalesce(last_called_at, now()) + make_interval(secs => $2))
          -- Never past the schedule's stop (a re-check near Digiflazz's 90 days would buy again).
          AND created_at > now() - interval '80 days'
        RETURNING 1`,
      [refId, minGapSeconds],
    );
    if (rows.length === 1) return true;
    return (await sql.query(`SELECT 1 FROM supplier_orders WHERE ref_id = $1 AND ${OPEN}`, [refId])).length === 1;
  },
  async alertDue(supplier, key, everySeconds) {
    const rows = await sql.query(
      `INSERT INTO supplier_alerts (supplier, key) VALUES ($1, $2)
       ON CONFLICT (supplier, key) DO UPDATE SET alerted_at = now() WHERE supplier_alerts.alerted_at < now() - make_interval(secs => $3)
       RETURNING 1`,
      [supplier, key.slice(0, 100), everySeconds],
    );
    return rows.length === 1;
  },
  async refOf(supplier, supplierRef) {
    const [row] = await sql.query<Row>('SELECT ref_id FROM supplier_orders WHERE supplier = $1 AND supplier_ref = $2', [supplier, supplierRef]);
    return row ? String(row.ref_id) : null;
  },
  async lock(refId) {
    const [row] = await sql.query('SELECT * FROM supplier_orders WHERE ref_id = $1 FOR UPDATE', [refId]);
    return row ? toSupplierOrder(row) : null;
  },
  async find(refId) {
    const [row] = await sql.query('SELECT * FROM supplier_orders WHERE ref_id = $1', [refId]);
    return row ? toSupplierOrder(row) : null;
  },
  async record(refId, r) {
    const final = r.status === 'success' || r.status === 'failed';
    await sql.query(
      `UPDATE supplier_orders SET status = $2, rc = $3, message = $4, sn = $5, price = COALESCE($6, price), reply = $7,
              next_check_at = $8, attempts = attempts + $9::int,
              -- The caller's lease ends with its answer; a callback leaves a call in flight its lease.
              locked_until = CASE WHEN $9::int > 0 THEN NULL ELSE locked_until END,
              first_sent_at = CASE WHEN $9::int > 0 THEN COALESCE(first_sent_at, now()) ELSE first_sent_at END,
              resolved_at = CASE WHEN $10 THEN now() END,
              supplier_ref = COALESCE(supplier_ref, $11)
        WHERE ref_id = $1`,
      [refId, r.status, r.rc, r.message.slice(0, 500), r.sn, r.price, JSON.stringify(r.reply ?? null), r.nextCheckAt, r.called ? 1 : 0, final, r.supplierRef ?? null],
    );
  },
  async escalate(hours) {
    const rows = await sql.query(
      `UPDATE supplier_orders SET escalated_at = now()
        WHERE ${OPEN} AND escalated_at IS NULL AND created_at < now() - make_interval(hours => $1) RETURNING *`,
      [hours],
    );
    return rows.map(toSupplierOrder);
  },
  async recent(limit, offset = 0) {
    return (await sql.query('SELECT * FROM supplier_orders ORDER BY created_at DESC OFFSET $2 LIMIT $1', [limit, offset])).map(toSupplierOrder);
  },
  async stuck(olderThan, limit) {
    return (await sql.query(`SELECT * FROM supplier_orders WHERE ${OPEN} AND created_at < $1 ORDER BY created_at LIMIT $2`, [olderThan, limit])).map(toSupplierOrder);
  },
  async price(sku) {
    const [row] = await sql.query('SELECT * FROM supplier_prices WHERE sku = $1 ORDER BY synced_at DESC LIMIT 1', [sku]);
    return row ? toPrice(row) : null;
  },
  async replacePrices(supplier, list) {
    // Costs that newly exceed what a product sells for (its base price or a role's), read before the swap.
    const risen = await sql.query<Row>(
      `WITH fresh AS (SELECT * FROM json_to_recordset($2::json) AS x(sku text, cost bigint))
       SELECT p.code, p.name, f.cost, least(p.price, coalesce((SELECT min(pp.price) FROM product_prices pp WHERE pp.product_id = p.id), p.price)) AS price
         FROM products p JOIN fresh f ON f.sku = p.supplier_sku
         LEFT JOIN supplier_prices old ON old.supplier = $1 AND old.sku = p.supplier_sku
        WHERE p.active AND f.cost > least(p.price, coalesce((SELECT min(pp.price) FROM product_prices pp WHERE pp.product_id = p.id), p.price))
          AND (old.cost IS NULL OR old.cost <= least(p.price, coalesce((SELECT min(pp.price) FROM product_prices pp WHERE pp.product_id = p.id), p.price)))`,
      [supplier, JSON.stringify(list.map((p) => ({ sku: p.sku, cost: p.cost })))],
    );
    await sql.query('DELETE FROM supplier_prices WHERE supplier = $1', [supplier]);
    await sql.query(
      `INSERT INTO supplier_prices (supplier, sku, name, category, brand, cost, active, cut_off_start, cut_off_end, multi, description, postpaid, admin)
       SELECT $1, x.sku, x.name, x.category, x.brand, x.cost, x.active, x.cut_off_start, x.cut_off_end, x.multi, x.description, x.postpaid, x.admin
         FROM json_to_recordset($2::json) AS x(sku text, name text, category text, brand text, cost bigint, active boolean,
                                              cut_off_start text, cut_off_end text, multi boolean, description text, postpaid boolean, admin bigint)
       ON CONFLICT (supplier, sku) DO NOTHING`,
      [
        supplier,
        JSON.stringify(
          list.map((p) => ({
            sku: p.sku,
            name: p.name,
            category: p.category,
            brand: p.brand,
            cost: p.cost,
            active: p.active,
            cut_off_start: p.cutOffStart,
            cut_off_end: p.cutOffEnd,
            multi: p.multi,
            description: p.description,
            postpaid: p.postpaid === true,
            admin: p.admin ?? 0,
          })),
        ),
      ],
    );
    changed(CACHE.catalogue.key);
    return risen.map((r) => ({ code: String(r.code), name: String(r.name), cost: Number(r.cost), price: Number(r.price) }));
  },
  async takeSync(supplier, minSeconds) {
    await sql.query('INSERT INTO supplier_state (supplier) VALUES ($1) ON CONFLICT DO NOTHING', [supplier]);
    const rows = await sql.query(
      `UPDATE supplier_state SET next_sync_at = now() + make_interval(secs => $2) WHERE supplier = $1 AND next_sync_at <= now() RETURNING supplier`,
      [supplier, minSeconds],
    );
    return rows.length === 1;
  },
  async syncDone(supplier, error, retryInSeconds) {
    await sql.query(
      `UPDATE supplier_state SET synced_at = CASE WHEN $2::text IS NULL THEN now() ELSE synced_at END, sync_error = $2,
              next_sync_at = greatest(next_sync_at, now() + make_interval(secs => $3)) WHERE supplier = $1`,
      [supplier, error === null ? null : error.slice(0, 300), retryInSeconds],
    );
  },
  async setBalance(supplier, balance, low) {
    const rows = await sql.query<{ alert: boolean }>(
      `INSERT INTO supplier_state (supplier, balance, balance_at, low_alerted) VALUES ($1, $2::bigint, now(), $2::bigint < $3::bigint)
       ON CONFLICT (supplier) DO UPDATE SET balance = EXCLUDED.balance, balance_at = now(), low_alerted = EXCLUDED.balance < $3::bigint
       RETURNING (low_alerted AND NOT coalesce((SELECT s.low_alerted FROM supplier_state s WHERE s.supplier = $1), false)) AS alert`,
      [supplier, Math.round(balance), low],
    );
    return Boolean(rows[0]?.alert);
  },
  async state(supplier) {
    const [row] = await sql.query<Row>(
      `SELECT s.balance, s.balance_at, s.synced_at, s.sync_error,
              (SELECT count(*) FROM supplier_prices p WHERE p.supplier = $1) AS skus,
              (SELECT count(*) FROM supplier_orders o WHERE o.${OPEN}) AS open
         FROM (SELECT 1) one LEFT JOIN supplier_state s ON s.supplier = $1`,
      [supplier],
    );
    return {
      balance: row?.balance === null || row?.balance === undefined ? null : Number(row.balance),
      balanceAt: when(row?.balance_at),
      syncedAt: when(row?.synced_at),
      syncError: text(row?.sync_error),
      skus: Number(row?.skus ?? 0),
      open: Number(row?.open ?? 0),
    };
  },
  async setSku(code, sku, backup) {
    const [row] = await sql.query('UPDATE products SET supplier_sku = $2, backup_sku = $3, updated_at = now() WHERE code = $1 AND active RETURNING *', [code, sku, backup]);
    if (row) changed(CACHE.catalogue.key);
    return row ? toProduct(row) : null;
  },
  async setCheckGame(code, game) {
    const [row] = await sql.query('UPDATE products SET check_game = $2, updated_at = now() WHERE code = $1 AND active RETURNING *', [code, game]);
    if (row) changed(CACHE.catalogue.key);
    return row ? toProduct(row) : null;
  },
});

export const supplierCallbackStore = (sql: Sql): SupplierCallbacks => ({
  async store(e) {
    const rows = await sql.query(
      `INSERT INTO supplier_events (supplier, ref_id, dedupe_key, body) VALUES ($1, $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [e.supplier, e.refId, e.digest, JSON.stringify(e.body)],
    );
    return rows.length === 1;
  },
  async claim(limit, leaseSeconds) {
    const rows = await sql.query<Row>(
      `UPDATE supplier_events SET attempts = attempts + 1, locked_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM supplier_events
                      WHERE applied_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, supplier, ref_id, body, attempts`,
      [limit, leaseSeconds],
    );
    return rows
      .map((r) => ({ eventId: String(r.id), supplier: String(r.supplier), refId: String(r.ref_id), body: typeof r.body === 'string' ? JSON.parse(r.body) : r.body, attempts: Number(r.attempts) }))
      .sort((a, b) => Number(a.eventId) - Number(b.eventId));
  },
  async markApplied(eventId, outcome) {
    await sql.query('UPDATE supplier_events SET applied_at = now(), outcome = $2, locked_until = NULL WHERE id = $1', [eventId, outcome]);
  },
  async retryLater(eventId, error, inSeconds) {
    await sql.query(
      `UPDATE supplier_events SET next_attempt_at = now() + make_interval(secs => $3), locked_until = NULL, last_error = $2 WHERE id = $1`,
      [eventId, error.slice(0, 500), inSeconds],
    );
  },
});
