import { CACHE } from '../../../app/cache-aside.js';
import type { StockRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import type { ReportChange } from '../changes.js';
import { toStockItem } from './rows.js';

const byId = <T extends { stockItemId: string }>(items: T[]) =>
  items.sort((a, b) => Number(a.stockItemId) - Number(b.stockItemId));

/**
 * Which of the given texts are already on sale for the product: one probe of the unique index per
 * text (its digest and the product, `stock_items_once_on_sale`), whatever the planner believes.
 * Written as a semi-join (`= ANY (SELECT …)`), the prepared statement's generic plan walked the
 * product's whole stock once per given text when its statistics were stale: 12 million
 * comparisons, 8 s, for 2,000 texts added to a product holding 6,000 (now ~8 ms).
 */
export const ON_SALE_ALREADY = `SELECT payload FROM stock_items
  WHERE product_id = $1 AND status IN ('available', 'reserved') AND md5(payload) = ANY (ARRAY(SELECT md5(unnest($2::text[]))))`;

export const stockRepo = (sql: Sql, changed: ReportChange, onEnqueue: () => void): StockRepo => {
  /** Moves the product's top up by `n` (the row lock orders concurrent writers); returns the new top. */
  const grow = async (productId: string, n: number) =>
    Number((await sql.query<{ top: unknown }>('UPDATE products SET stock_added = stock_added + $2 WHERE id = $1 RETURNING stock_added AS top', [productId, n]))[0]!.top);
  const none = { items: [], left: 0 };
  /**
   * The claim is one call of a database function (migrations/012): the counter
   * moves, then the items at those positions are taken with a fresh snapshot.
   * No rows: fewer than `qty` were left. `remaining` is exact (read under the lock).
   */
  const claimed = (productId: string, qty: number, rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return none;
    if (rows.length !== qty) throw new Error(`stock positions out of step for product ${productId}: claimed ${qty}, found ${rows.length}`);
    changed(CACHE.catalogue.key);
    return { items: byId(rows.map((r) => toStockItem({ id: r.item_id, payload: r.item }))), left: Number(rows[0]!.remaining) };
  };
  return {
    async add(productId, given) {
      // The product row's lock orders concurrent adders, so the look below sees every copy on sale;
      // the unique index stock_items_once_on_sale is the guarantee behind it.
      await sql.query('SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [productId]);
      const onSale = await sql.query<{ payload: string }>(ON_SALE_ALREADY, [productId, given]);
      const taken = new Set(onSale.map((r) => r.payload));
      const payloads = [...new Set(given)].filter((p) => !taken.has(p));
      if (payloads.length === 0) return 0;
      const top = await grow(productId, payloads.length);
      const rows = await sql.query(
        `INSERT INTO stock_items (product_id, payload, position)
         SELECT $1, t.payload, $3::bigint - $4::bigint + t.ord FROM unnest($2::text[]) WITH ORDINALITY AS t(payload, ord) RETURNING id`,
        [productId, payloads, top, payloads.length],
      );
      changed(CACHE.catalogue.key);
      return rows.length;
    },
    async reserve(productId, orderId, qty) {
      return claimed(productId, qty, await sql.query('SELECT * FROM stock_take($1, $2, $3, NULL, NULL, NULL)', [productId, orderId, qty]));
    },
    async sell(productId, orderId, qty, message) {
      const rows = await sql.query('SELECT * FROM stock_take($1, $2, $3, $4, $5, $6)', [productId, orderId, qty, message.to, message.before, message.after]);
      if (rows.length) onEnqueue();
      return claimed(productId, qty, rows);
    },
    async markSold(orderId) {
      const rows = await sql.query(
        `UPDATE stock_items SET status = 'sold', sold_at = now()
          WHERE order_id = $1 AND status = 'reserved' RETURNING id, payload`,
        [orderId],
      );
      return byId(rows.map(toStockItem));
    },
    async release(orderId) {
      const held = await sql.query<{ id: unknown; product_id: unknown }>(
        `SELECT id, product_id FROM stock_items WHERE order_id = $1 AND status = 'reserved' ORDER BY id FOR UPDATE`,
        [orderId],
      );
      if (held.length === 0) return 0;
      const productId = String(held[0]!.product_id);
      const top = await grow(productId, held.length);
      await sql.query(
        `UPDATE stock_items s SET status = 'available', order_id = NULL, position = $2::bigint - $3::bigint + v.ord
           FROM unnest($1::bigint[]) WITH ORDINALITY AS v(id, ord) WHERE s.id = v.id`,
        [held.map((h) => String(h.id)), top, held.length],
      );
      changed(CACHE.catalogue.key);
      return held.length;
    },
    async removeAvailable(productId, count) {
      const [p] = await sql.query<{ added: unknown; claimed: unknown }>(
        'SELECT stock_added AS added, stock_claimed AS claimed FROM products WHERE id = $1 FOR UPDATE',
        [productId],
      );
      const free = Number(p!.added) - Number(p!.claimed);
      const k = count === null ? free : Math.min(count, free);
      if (k <= 0) return 0;
      const rows = await sql.query(
        `UPDATE stock_items SET status = 'removed' WHERE product_id = $1 AND status = 'available' AND position > $2 RETURNING id`,
        [productId, Number(p!.added) - k],
      );
      await sql.query('UPDATE products SET stock_added = stock_added - $2 WHERE id = $1', [productId, rows.length]);
      changed(CACHE.catalogue.key);
      return rows.length;
    },
    async itemsOf(orderId) {
      const rows = await sql.query(
        `SELECT id, payload FROM stock_items WHERE order_id = $1 AND status = 'sold' ORDER BY id`,
        [orderId],
      );
      return rows.map(toStockItem);
    },
  };
};
