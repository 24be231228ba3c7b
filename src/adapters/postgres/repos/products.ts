import { CACHE } from '../../../app/cache-aside.js';
import type { ProductRepo } from '../../../app/ports.js';
import { DomainError } from '../../../domain/errors.js';
import { pgError, type Sql } from '../db.js';
import type { ReportChange } from '../changes.js';
import { OFFER_COLUMNS, OFFER_JOIN, toProduct, toProductWithStock } from './rows.js';

// The available count is two counters on the product row: no count over stock rows.
const WITH_STOCK = `SELECT p.*, p.stock_added - p.stock_claimed AS available, ${OFFER_COLUMNS},
  (SELECT coalesce(json_object_agg(pp.role, pp.price), '{}'::json) FROM product_prices pp WHERE pp.product_id = p.id) AS prices
  FROM products p ${OFFER_JOIN}`;

export const productsRepo = (sql: Sql, changed: ReportChange): ProductRepo => ({
  async listActive() {
    return (await sql.query(`${WITH_STOCK} WHERE p.active ORDER BY lower(p.category), p.code`)).map(toProductWithStock);
  },
  async topups(offset, limit) {
    const rows = await sql.query(
      `${WITH_STOCK.replace('FROM products p', ', count(*) OVER () AS total FROM products p')} WHERE p.active AND p.supplier_sku IS NOT NULL ORDER BY p.code OFFSET $1 LIMIT $2`,
      [offset, limit],
    );
    return { products: rows.map(toProductWithStock), total: Number(rows[0]?.total ?? 0) };
  },
  async categories() {
    const rows = await sql.query<{ name: string | null; products: unknown }>(
      `SELECT min(category) AS name, count(*) AS products FROM products WHERE active GROUP BY lower(category) ORDER BY lower(category)`,
    );
    return rows.map((r) => ({ name: r.name, products: Number(r.products) }));
  },
  async page(category, offset, limit, search) {
    // One statement. A listing walks products_catalogue and stops after its rows (their stock,
    // offer and role prices read for those rows only), its total an uncorrelated count run once:
    // `count(*) OVER ()` would read every product's offer and prices first (~20 ms at 10,000).
    // A search reads every name anyway and matches few: its total is counted as they are read.
    const params: unknown[] = [offset, limit];
    const arg = (v: unknown) => `$${params.push(v)}`;
    let where = category === undefined ? '' : category === null ? 'AND p.category IS NULL' : `AND lower(p.category) = lower(${arg(category)})`;
    if (search) {
      const like = arg(search.replace(/[\\%_]/g, (c) => `\\${c}`));
      where += ` AND (p.code ILIKE ${like} || '%' OR p.name ILIKE '%' || ${like} || '%')`;
    }
    const count = `SELECT count(*) FROM products p WHERE p.active ${where}`;
    const rows = await sql.query(
      `${WITH_STOCK.replace('FROM products p', `, ${search ? 'count(*) OVER ()' : `(${count})`} AS total FROM products p`)} WHERE p.active ${where}
       ORDER BY lower(p.category), p.code OFFSET $1 LIMIT $2`,
      params,
    );
    if (rows[0] || offset === 0) return { products: rows.map(toProductWithStock), total: Number(rows[0]?.total ?? 0) };
    // Past the last page: no row carries the total, so count (for "there are N pages").
    const [counted] = await sql.query<{ n: unknown }>(`SELECT (${count}) AS n WHERE $1::int >= 0 AND $2::int >= 0`, params);
    return { products: [], total: Number(counted?.n ?? 0) };
  },
  async setCost(code, cost) {
    const rows = await sql.query(`UPDATE products SET cost = $2, updated_at = now() WHERE code = $1 AND active RETURNING id`, [code, cost]);
    return rows.length > 0;
  },
  async setCategory(code, category) {
    const rows = await sql.query('UPDATE products SET category = $2, updated_at = now() WHERE code = $1 AND active RETURNING *', [code, category]);
    if (rows[0]) changed(CACHE.catalogue.key);
    return rows[0] ? toProduct(rows[0]) : null;
  },
  async findByCode(code) {
    const rows = await sql.query(`${WITH_STOCK} WHERE p.code = $1 AND p.active`, [code]);
    return rows[0] ? toProductWithStock(rows[0]) : null;
  },
  async findForSale(code) {
    const rows = await sql.query(
      `SELECT p.*, p.stock_added - p.stock_claimed AS available, ${OFFER_COLUMNS},
              (SELECT coalesce(json_object_agg(pp.role, pp.price), '{}'::json) FROM product_prices pp WHERE pp.product_id = p.id) AS prices
         FROM products p ${OFFER_JOIN} WHERE p.code = $1 AND p.active`,
      [code],
    );
    return rows[0] ? toProductWithStock(rows[0]) : null;
  },
  async insert(p) {
    try {
      const rows = await sql.query(
        `INSERT INTO products (code, name, price, description, category) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, price = EXCLUDED.price,
           description = EXCLUDED.description, category = EXCLUDED.category, active = true, updated_at = now()
         WHERE NOT products.active
         RETURNING *`,
        [p.code, p.name, p.price, p.description, p.category],
      );
      if (!rows[0]) throw new DomainError('PRODUCT_EXISTS', { code: p.code });
      changed(CACHE.catalogue.key);
      return toProduct(rows[0]);
    } catch (err) {
      if (pgError(err).code === '23514') throw new DomainError('INVALID_INPUT', { command: 'addproduk' });
      throw err;
    }
  },
  async listInactive(limit) {
    const rows = await sql.query(`SELECT * FROM products WHERE NOT active ORDER BY updated_at DESC, code LIMIT $1`, [limit]);
    return rows.map(toProduct);
  },
  async reactivate(code) {
    const rows = await sql.query(`UPDATE products SET active = true, updated_at = now() WHERE code = $1 AND NOT active RETURNING *`, [code]);
    if (rows[0]) changed(CACHE.catalogue.key);
    return rows[0] ? toProduct(rows[0]) : null;
  },
  async update(code, patch) {
    const rows = await sql.query(
      `UPDATE products SET name = COALESCE($2, name), price = COALESCE($3, price),
         description = COALESCE($4, description), active = COALESCE($5, active), updated_at = now()
       WHERE code = $1 AND active RETURNING *`,
      [code, patch.name ?? null, patch.price ?? null, patch.description ?? null, patch.active ?? null],
    );
    if (rows[0]) changed(CACHE.catalogue.key);
    return rows[0] ? toProduct(rows[0]) : null;
  },
  async setHandling(code, h) {
    const rows = await sql.query(
      `UPDATE products SET form = CASE WHEN $2 THEN $3 ELSE form END, manual = COALESCE($4, manual), updated_at = now() WHERE code = $1 AND active RETURNING *`,
      [code, h.form !== undefined, h.form ?? null, h.manual ?? null],
    );
    if (rows[0]) changed(CACHE.catalogue.key);
    return rows[0] ? toProduct(rows[0]) : null;
  },
  async setRolePrice(code, role, price) {
    const rows = await sql.query(
      `INSERT INTO product_prices (product_id, role, price) SELECT id, $2, $3 FROM products WHERE code = $1 AND active
       ON CONFLICT (product_id, role) DO UPDATE SET price = EXCLUDED.price RETURNING product_id`,
      [code, role, price],
    );
    if (rows.length) changed(CACHE.catalogue.key);
    return rows.length === 1;
  },
});
