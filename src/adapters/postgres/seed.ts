import type { Database } from './db.js';

export interface SeedProduct {
  code: string;
  name: string;
  price: number;
  description: string;
  category: string;
  /** The items' texts, in the order they go on sale. */
  items: readonly string[];
}

/**
 * Puts a catalogue into an empty store, once per database (recorded in settings):
 * false when it was seeded before or already has products.
 */
export async function seedCatalogue(db: Database, products: readonly SeedProduct[], voucher: { code: string; percent: number; maxUses: number }): Promise<boolean> {
  return db.transaction(async (sql) => {
    const seeded = await sql.query(`INSERT INTO settings (key, value) VALUES ('demo_seeded', now()::text) ON CONFLICT DO NOTHING RETURNING key`);
    if (seeded.length === 0) return false;
    const [{ n } = { n: 0 }] = await sql.query<{ n: unknown }>('SELECT count(*) AS n FROM products');
    if (Number(n) > 0) return false;
    for (const p of products) {
      const [row] = await sql.query<{ id: unknown }>('INSERT INTO products (code, name, price, description, category) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        p.code,
        p.name,
        p.price,
        p.description,
        p.category,
      ]);
      await sql.query('UPDATE products SET stock_added = $2 WHERE id = $1', [row!.id, p.items.length]);
      await sql.query('INSERT INTO stock_items (product_id, payload, position) SELECT $1, t.p, t.ord FROM unnest($2::text[]) WITH ORDINALITY AS t(p, ord)', [row!.id, p.items]);
    }
    await sql.query('INSERT INTO vouchers (code, percent, max_uses) VALUES ($1, $2, $3)', [voucher.code, voucher.percent, voucher.maxUses]);
    return true;
  });
}

/** Adds top-up products once per database (recorded in settings), skipping codes already taken. */
export async function seedTopups(db: Database, products: readonly (Omit<SeedProduct, 'items'> & { sku: string })[]): Promise<boolean> {
  return db.transaction(async (sql) => {
    const seeded = await sql.query(`INSERT INTO settings (key, value) VALUES ('demo_topups_seeded', now()::text) ON CONFLICT DO NOTHING RETURNING key`);
    if (seeded.length === 0) return false;
    for (const p of products) {
      await sql.query(
        'INSERT INTO products (code, name, price, description, category, supplier_sku) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING',
        [p.code, p.name, p.price, p.description, p.category, p.sku],
      );
    }
    return true;
  });
}

/**
 * A store's catalogue at start: how many products are on sale, and, the first time a store
 * seeded as the demo is looked at so (recorded in settings), which demo products and voucher
 * are still on sale; null when it was never the demo or was looked at before.
 */
export async function catalogueAtStartOf(db: Database, demoCodes: readonly string[], demoVoucher: string): Promise<{ products: number; demoLeft: string[] | null }> {
  const [{ n } = { n: 0 }] = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM products WHERE active');
  const demoLeft = await db.transaction(async (sql) => {
    if ((await sql.query(`SELECT 1 FROM settings WHERE key = 'demo_seeded'`)).length === 0) return null;
    if ((await sql.query(`INSERT INTO settings (key, value) VALUES ('demo_left_warned', now()::text) ON CONFLICT DO NOTHING RETURNING key`)).length === 0) return null;
    const products = await sql.query<{ code: string }>('SELECT code FROM products WHERE active AND code = ANY($1::text[]) ORDER BY code', [demoCodes]);
    const vouchers = await sql.query<{ code: string }>('SELECT code FROM vouchers WHERE active AND code = $1', [demoVoucher]);
    return [...products.map((r) => r.code), ...vouchers.map((r) => `voucher ${r.code}`)];
  });
  return { products: Number(n), demoLeft };
}
