/**
 * `npx tsx bench/rss-only.ts` (after `npm run build`): only the serving process's peak RSS, on a
 * database seeded to the size the full bench has reached when it measures it (10k products,
 * 100k buyers, ~240k stock items), so a memory change can be tried in a minute.
 */
import { connectPg } from '../src/adapters/postgres/db.js';
import { kedaiProcessRss } from './rss.js';
import { benchKedai, withDatabase } from './scratch.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const result = await withDatabase(async (url) => {
  const db = connectPg(url, { max: 2 });
  const kedai = await benchKedai(url, db, REDIS_URL); // migrates
  await kedai.stop();
  for (let k = 0; k < 16; k++) {
    const [{ id } = { id: 0 }] = await db.query<{ id: unknown }>(`INSERT INTO products (code, name, price, description, stock_added) VALUES ($1, $2, 1000, '', 12000) RETURNING id`, [`SPR${k}`, `Spread ${k}`]);
    await db.query(`INSERT INTO stock_items (product_id, payload, position) SELECT $1, $2 || g, g FROM generate_series(1, 12000) g`, [id, `SPR-${k}-`]);
  }
  await db.query(`INSERT INTO products (code, name, price, description, category) SELECT 'TEN' || g, 'Produk kecil ' || g, 1000 + g, '', 'Sepuluh' FROM generate_series(1, 10) g`);
  await db.query(`INSERT INTO products (code, name, price, description, category) SELECT 'BIG' || lpad(g::text, 5, '0'), 'Produk besar nomor ' || g, 1000 + g, '', 'Kategori ' || (g % 40) FROM generate_series(1, 10000) g`);
  await db.query(`INSERT INTO users (wa_id, name) SELECT '6299' || lpad(g::text, 9, '0'), 'bulk' FROM generate_series(1, 100000) g`);
  await db.exec('VACUUM ANALYZE');
  await db.close();
  return kedaiProcessRss(url);
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
