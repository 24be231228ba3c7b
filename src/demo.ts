import type { Database } from './adapters/postgres/db.js';
import { seedCatalogue } from './adapters/postgres/seed.js';

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
  const products = DEMO.map(({ items, make, ...p }) => ({ ...p, items: Array.from({ length: items }, (_, i) => make(i + 1)) }));
  // A voucher to try: `.buy NETFLIX1 HEMAT10`.
  return seedCatalogue(db, products, { code: 'HEMAT10', percent: 10, maxUses: 100 });
}
