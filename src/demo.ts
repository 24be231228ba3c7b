import type { Database } from './adapters/postgres/db.js';

const DEMO = [
  { code: 'NETFLIX1', name: 'Netflix Premium 1 Bulan', price: 25_000, description: 'Akun sharing, 1 profil, garansi 30 hari.', category: 'Streaming', items: 5, make: (i: number) => `Email: netflix.demo${i}@kedai.test\nPassword: demo-${1000 + i}\nProfil: ${i}` },
  { code: 'SPOTIFY1', name: 'Spotify Premium 1 Bulan', price: 15_000, description: 'Invite family plan.', category: 'Streaming', items: 5, make: (i: number) => `https://spotify.example/invite/DEMO${i}X${i * 7}` },
  { code: 'ML86', name: 'Mobile Legends 86 Diamond', price: 20_000, description: 'Kode voucher, tukar di situs resmi.', category: 'Game', items: 8, make: (i: number) => `ML86-DEMO-${String(i).padStart(4, '0')}` },
  { code: 'STEAM60', name: 'Steam Wallet IDR 60.000', price: 65_000, description: 'Kode Steam Wallet.', category: 'Game', items: 3, make: (i: number) => `STEAM-DEMO-${i}AB${i}-CD${i}E` },
];

/**
 * The first embedded start gets a small demo catalogue so there is something
 * to buy. Runs once per database (recorded in settings), only when it is empty,
 * and the caller only calls it without DATABASE_URL: a real database never gets demo data.
 */
export async function seedDemo(db: Database): Promise<boolean> {
  return db.transaction(async (sql) => {
    const seeded = await sql.query(`INSERT INTO settings (key, value) VALUES ('demo_seeded', now()::text) ON CONFLICT DO NOTHING RETURNING key`);
    if (seeded.length === 0) return false;
    const [{ n } = { n: 0 }] = await sql.query<{ n: unknown }>('SELECT count(*) AS n FROM products');
    if (Number(n) > 0) return false;
    for (const p of DEMO) {
      const [row] = await sql.query<{ id: unknown }>('INSERT INTO products (code, name, price, description, category) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        p.code,
        p.name,
        p.price,
        p.description,
        p.category,
      ]);
      const payloads = Array.from({ length: p.items }, (_, i) => p.make(i + 1));
      await sql.query('UPDATE products SET stock_added = $2 WHERE id = $1', [row!.id, payloads.length]);
      await sql.query('INSERT INTO stock_items (product_id, payload, position) SELECT $1, t.p, t.ord FROM unnest($2::text[]) WITH ORDINALITY AS t(p, ord)', [
        row!.id,
        payloads,
      ]);
    }
    // A voucher to try: `.buy NETFLIX1 HEMAT10`.
    await sql.query(`INSERT INTO vouchers (code, percent, max_uses) VALUES ('HEMAT10', 10, 100)`);
    return true;
  });
}
