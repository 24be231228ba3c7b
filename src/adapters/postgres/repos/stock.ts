import type { StockRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import type { Touch } from '../store.js';
import { toStockItem } from './rows.js';

const byId = <T extends { stockItemId: string }>(items: T[]) =>
  items.sort((a, b) => Number(a.stockItemId) - Number(b.stockItemId));

export const stockRepo = (sql: Sql, touch: Touch): StockRepo => ({
  async add(productId, payloads) {
    const rows = await sql.query(
      `INSERT INTO stock_items (product_id, payload) SELECT $1, unnest($2::text[]) RETURNING id`,
      [productId, payloads],
    );
    touch('catalogue');
    return rows.length;
  },
  async reserve(productId, orderId, qty) {
    // SKIP LOCKED: racing buyers each take different rows instead of queueing on the same ones.
    const rows = await sql.query(
      `UPDATE stock_items SET status = 'reserved', order_id = $2
        WHERE id IN (SELECT id FROM stock_items WHERE product_id = $1 AND status = 'available'
                      ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, payload`,
      [productId, orderId, qty],
    );
    if (rows.length) touch('catalogue');
    return byId(rows.map(toStockItem));
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
    const rows = await sql.query(
      `UPDATE stock_items SET status = 'available', order_id = NULL
        WHERE order_id = $1 AND status = 'reserved' RETURNING id`,
      [orderId],
    );
    if (rows.length) touch('catalogue');
    return rows.length;
  },
  async removeAvailable(productId, count) {
    const rows = await sql.query(
      `UPDATE stock_items SET status = 'removed'
        WHERE id IN (SELECT id FROM stock_items WHERE product_id = $1 AND status = 'available'
                      ORDER BY id DESC LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [productId, count],
    );
    if (rows.length) touch('catalogue');
    return rows.length;
  },
  async itemsOf(orderId) {
    const rows = await sql.query(
      `SELECT id, payload FROM stock_items WHERE order_id = $1 AND status = 'sold' ORDER BY id`,
      [orderId],
    );
    return rows.map(toStockItem);
  },
});
