/**
 * The dashboard at a grown store's size: 10,000 products, 100,000 orders, 100,000 buyers,
 * each order delivered. Each page is asked 20 times, one after another, through HTTP
 * with a logged-in session; the figures are the server's answer times (p50 / p95, ms).
 */
import { connectPg, type Database } from '../src/adapters/postgres/db.js';
import { benchKedai } from './scratch.js';

const TOKEN = 'bench-dashboard-token-0123456789abcdef';
export const DASHBOARD_PAGES = [
  '/admin',
  '/admin/products',
  '/admin/products?q=produk%201234',
  '/admin/stock?page=100',
  '/admin/categories',
  '/admin/orders',
  '/admin/orders?q=B00010',
  '/admin/orders?status=delivered&q=62899',
  '/admin/buyers?page=50',
  '/admin/vouchers',
  '/admin/topups',
  '/admin/reports',
] as const;

export interface DashboardBench {
  products: number;
  orders: number;
  pages: Record<string, { p50ms: number; p95ms: number }>;
  /** The orders CSV of all 100,000 orders, streamed. */
  ordersCsv: { ms: number; rows: number };
}

async function seed(db: Database): Promise<void> {
  {
    await db.query(`INSERT INTO products (code, name, price, category) SELECT 'B' || lpad(g::text, 5, '0'), 'Produk ' || g, 10000 + g, 'Kategori ' || (g % 12) FROM generate_series(1, 10000) g`);
    await db.query(`INSERT INTO users (wa_id, name, last_seen_at) SELECT '62899' || lpad(g::text, 7, '0'), 'Pembeli ' || g, now() - make_interval(mins => g) FROM generate_series(1, 100000) g`);
    // 100,000 delivered orders over 60 days, each with its sold item, spread over 100 products,
    // and, in the same transaction (invariant 5), the delivery message each was sent.
    await db.transaction(async (sql) => {
      await sql.query(
      `INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, created_at)
       SELECT 'KD-B-' || lpad(g::text, 8, '0'), (SELECT id FROM users WHERE wa_id = '62899' || lpad((g % 100000 + 1)::text, 7, '0')), 'purchase',
              (SELECT id FROM products WHERE code = 'B' || lpad((g % 100 + 1)::text, 5, '0')), 1, 10000, 10000, 'balance', 'delivered',
              now() - make_interval(secs => g * 52)
         FROM generate_series(1, 100000) g`,
      );
      await sql.query(
        `INSERT INTO outbox (recipient, body, kind, order_id, status, sent_at, created_at)
         SELECT u.wa_id, 'Pesanan ' || o.public_id, 'delivery', o.id, 'sent', o.created_at, o.created_at
           FROM orders o JOIN users u ON u.id = o.user_id WHERE o.public_id LIKE 'KD-B-%'`,
      );
    });
    await db.query('ANALYZE');
  }
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function dashboardBench(url: string, redisUrl: string): Promise<DashboardBench> {
  const db = connectPg(url, { max: 10 });
  const kedai = await benchKedai(url, db, redisUrl, { ADMIN_TOKEN: TOKEN });
  try {
    await seed(db);
    await kedai.deps.cache.invalidate(['catalogue']);
    const base = `http://127.0.0.1:${kedai.config.port}`;
    const login = await fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const pages: DashboardBench['pages'] = {};
    for (const path of DASHBOARD_PAGES) {
      const times: number[] = [];
      for (let i = 0; i < 22; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { cookie } });
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i >= 2) times.push(performance.now() - t);
      }
      pages[path] = { p50ms: Math.round(quantile(times, 0.5) * 10) / 10, p95ms: Math.round(quantile(times, 0.95) * 10) / 10 };
    }
    const t = performance.now();
    const csv = await (await fetch(`${base}/admin/orders.csv`, { headers: { cookie } })).text();
    const ordersCsv = { ms: Math.round(performance.now() - t), rows: csv.split('\r\n').filter(Boolean).length - 1 };
    return { products: 10_000, orders: 100_000, pages, ordersCsv };
  } finally {
    await kedai.stop();
    await db.close();
  }
}
