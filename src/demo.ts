import type { Database } from './adapters/postgres/db.js';
import type { Log } from './app/deps.js';
import { catalogueAtStartOf, seedCatalogue, seedTopups } from './adapters/postgres/seed.js';

const DEMO = [
  { code: 'NETFLIX1', name: 'Netflix Premium 1 Bulan', price: 25_000, description: 'Akun sharing, 1 profil, garansi 30 hari.', category: 'Streaming', items: 5, make: (i: number) => `Email: netflix.demo${i}@kedai.test\nPassword: demo-${1000 + i}\nProfil: ${i}` },
  { code: 'SPOTIFY1', name: 'Spotify Premium 1 Bulan', price: 15_000, description: 'Invite family plan.', category: 'Streaming', items: 5, make: (i: number) => `https://spotify.example/invite/DEMO${i}X${i * 7}` },
  { code: 'ML86', name: 'Mobile Legends 86 Diamond', price: 20_000, description: 'Kode voucher, tukar di situs resmi.', category: 'Game', items: 8, make: (i: number) => `ML86-DEMO-${String(i).padStart(4, '0')}` },
  { code: 'STEAM60', name: 'Steam Wallet IDR 60.000', price: 65_000, description: 'Kode Steam Wallet.', category: 'Game', items: 3, make: (i: number) => `STEAM-DEMO-${i}AB${i}-CD${i}E` },
];

/** Top-ups the built-in Digiflazz sandbox fulfils (its test numbers: …1230 succeeds, …1232 fails, …1233/…1234 pending first). */
const DEMO_TOPUPS = [
  { code: 'PULSA10', name: 'Pulsa XL 10.000', price: 11_000, sku: 'xld10', category: 'Top-up', description: 'TUJUAN: nomor HP, mis. 087800001230 (sandbox: …1232 gagal, …1233 diproses dulu).' },
  { code: 'DIAMOND86', name: 'Mobile Legends 86 Diamond (top-up)', price: 21_000, sku: 'ml86', category: 'Top-up', description: 'TUJUAN: ID dan Zone, mis. 12345678(1234) atau 12345678 1234.' },
  // A game top-up through the VIP-Reseller sandbox: the ID's player is shown before `.ya` (…0000 is an unknown ID).
  { code: 'MLCEK86', name: 'Mobile Legends 86 Diamond (cek ID)', price: 22_000, sku: 'vip:MLBB86', category: 'Top-up', description: 'TUJUAN: ID dan Zone, mis. 12345678(1234): nama akun ditampilkan dulu, lalu .ya untuk membayar.' },
  // A postpaid bill: the price is the store's fee on top of the bill (sandbox: …0002 owes two months, …0003 has no bill).
  { code: 'PLNPASCA', name: 'Tagihan PLN Pascabayar', price: 1_000, sku: 'pln', category: 'Tagihan', description: 'Cek dulu: .tagihan PLNPASCA 530000000001, lalu .ya untuk membayar.' },
];

/**
 * The first embedded start of the demo gets a small demo catalogue so there is something
 * to buy. Runs once per database (recorded in settings), only when it is empty, and the
 * caller only calls it for the demo (no DATABASE_URL, the web chat or the console): a
 * real database, or a store on real WhatsApp, never gets demo goods.
 */
export async function seedDemo(db: Database, topups = false): Promise<boolean> {
  const products = DEMO.map(({ items, make, ...p }) => ({ ...p, items: Array.from({ length: items }, (_, i) => make(i + 1)) }));
  // A voucher to try: `.buy NETFLIX1 HEMAT10`.
  const seeded = await seedCatalogue(db, products, { code: 'HEMAT10', percent: 10, maxUses: 100 });
  // With the supplier sandbox the demo also sells top-ups (a store seeded before gains them once).
  if (topups) await seedTopups(db, DEMO_TOPUPS);
  return seeded;
}

export const DEMO_VOUCHER = 'HEMAT10';

/** What a start tells the seller about the catalogue: the demo seeded, an empty store's first step, demo goods left on a real store. */
export interface CatalogueAtStart {
  seeded: boolean;
  /** Lines for the start banner (a warning also goes to the log). */
  notes: string[];
}

/**
 * The catalogue at start. The demo (an embedded store on the web chat or console) is seeded
 * once. A store on a real transport is never seeded; when it has no product yet its start
 * says how to add one, and when it was seeded earlier (as a demo, then switched to real
 * WhatsApp) it is warned once of the demo products and voucher still on sale.
 */
export async function catalogueAtStart(db: Database, o: { demo: boolean; embedded: boolean; topups: boolean }, log: Log): Promise<CatalogueAtStart> {
  if (o.demo && o.embedded) {
    const seeded = await seedDemo(db, o.topups);
    return { seeded, notes: seeded ? ['demo catalogue added: send .produk to see it'] : [] };
  }
  if (o.demo) return { seeded: false, notes: [] };
  const notes: string[] = [];
  const codes = [...DEMO.map((p) => p.code), ...DEMO_TOPUPS.map((p) => p.code)];
  const { products, demoLeft: left } = await catalogueAtStartOf(db, codes, DEMO_VOUCHER);
  if (products === 0) notes.push('no products yet: from an admin number send .addproduk CODE|Name|Price, then .addstok CODE with one item per line');
  if (left?.length) {
    const warning = `this store was started as the demo before, and its demo goods are still on sale to real buyers: ${left.join(', ')}. Remove them: .delproduk CODE for each product, .delvoucher ${DEMO_VOUCHER} (this warning is shown once)`;
    log.warn({ products: left }, warning);
    notes.push(`WARNING: ${warning}`);
  }
  return { seeded: false, notes };
}
