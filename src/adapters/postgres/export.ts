import type { CsvValue } from '../../domain/csv.js';
import type { ExportFilter, ExportPage } from '../../app/ports.js';
import type { Sql } from './db.js';

const WIB = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI:SS')`;
const int = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

// Each row's cells are in the order of app/exports.ts's ORDER_EXPORT_HEAD / LEDGER_EXPORT_HEAD.

/**
 * One page of orders for the CSV export, after `afterId` in id order (keyset paging
 * over the primary key: every page is an index range, however deep), filtered as
 * the dashboard's list is.
 */
export async function ordersExportPage(sql: Sql, filter: ExportFilter, afterId: string, limit: number): Promise<ExportPage> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT o.id, o.public_id, ${WIB('o.created_at')} AS created, u.wa_id, u.name AS buyer_name, o.kind, p.code, p.name AS product_name,
            o.qty, o.unit_price, o.discount, o.total, o.payment_method, o.status, ${WIB('o.paid_at')} AS paid, ${WIB('o.delivered_at')} AS delivered
       FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN products p ON p.id = o.product_id
      WHERE o.id > $1::bigint AND ($2::text IS NULL OR o.status = $2) AND ($3::text IS NULL OR u.wa_id = $3)
        AND ($4::timestamptz IS NULL OR o.created_at >= $4) AND ($5::timestamptz IS NULL OR o.created_at < $5)
        AND ($7::text IS NULL OR o.public_id = $7) AND ($8::text IS NULL OR p.code = $8)
      ORDER BY o.id LIMIT $6`,
    [afterId, filter.status ?? null, filter.waId ?? null, filter.from ?? null, filter.to ?? null, limit, filter.publicId ?? null, filter.productCode ?? null],
  );
  return {
    lastId: rows.length ? String(rows.at(-1)!.id) : null,
    rows: rows.map((r): CsvValue[] => [
      text(r.public_id), text(r.created), text(r.wa_id), text(r.buyer_name), text(r.kind), text(r.code), text(r.product_name),
      int(r.qty), int(r.unit_price), int(r.discount), int(r.total), text(r.payment_method), text(r.status), text(r.paid), text(r.delivered),
    ]),
  };
}

/** One page of ledger entries for the CSV export, after `afterId`. */
export async function ledgerExportPage(sql: Sql, afterId: string, limit: number): Promise<ExportPage> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT l.id, ${WIB('l.created_at')} AS at, u.wa_id, u.name AS buyer_name, l.kind, l.amount, l.balance_after, o.public_id, l.note
       FROM ledger_entries l JOIN users u ON u.id = l.user_id LEFT JOIN orders o ON o.id = l.order_id
      WHERE l.id > $1::bigint ORDER BY l.id LIMIT $2`,
    [afterId, limit],
  );
  return {
    lastId: rows.length ? String(rows.at(-1)!.id) : null,
    rows: rows.map((r): CsvValue[] => [int(r.id), text(r.at), text(r.wa_id), text(r.buyer_name), text(r.kind), int(r.amount), int(r.balance_after), text(r.public_id), text(r.note)]),
  };
}
