import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../src/domain/csv.js';
import { ORDER_EXPORT_HEAD } from '../src/app/exports.js';
import { dashboardTexts } from '../src/i18n/dashboard.js';
import { adminSession, concurrentBackend, startKedai, type Harness } from './helpers.js';

const TOKEN = 'exports-test-admin-token-0123456789';

describe('CSV cells', () => {
  it('neutralises what a spreadsheet would run as a formula, quotes what needs it, and keeps numbers plain', () => {
    expect(['=HYPERLINK("http://x")', '+62 812', '-1+1', '@SUM(A1)', '\tx', 'Budi'].map(csvCell)).toEqual([
      `"'=HYPERLINK(""http://x"")"`,
      "'+62 812",
      "'-1+1",
      "'@SUM(A1)",
      `"'\tx"`,
      'Budi',
    ]);
    expect([csvCell(-12_000), csvCell(25_000), csvCell(null), csvCell('a,b'), csvCell('line\nbreak')]).toEqual(['-12000', '25000', '', '"a,b"', '"line\nbreak"']);
    expect(csvLine(['x', 1])).toBe('x,1\r\n');
  });

  it('stays safe in a spreadsheet that splits on `;` (Indonesian Excel) as in one that splits on `,`', () => {
    const names = ['Budi;=1+1', 'Budi,=1+1', 'Ani; +62 812', 'Ani;@SUM(A1)', 'x\t-1', 'Siti;Rahma', 'plain'];
    const line = csvLine(names).replace(/\r\n$/, '');
    for (const sep of [',', ';', '\t']) {
      const cells = readCsvLine(line, sep);
      // However the line is cut, no cell starts a formula.
      for (const cell of cells) expect([sep, cell, /^[=+\-@]/.test(cell)]).toEqual([sep, cell, false]);
    }
    expect(readCsvLine(line, ',').map((c) => c.replace(/^'/, ''))).toEqual(names);
  });
});

/** A line as a spreadsheet splits it on `sep`: quotes group, `""` is a quote. */
function readCsvLine(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === sep) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

describe(`exports from the dashboard (${concurrentBackend.name})`, () => {
  let h: Harness;
  let get: (path: string) => Promise<string>;
  const ROWS = 100_000;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ADMIN_TOKEN: TOKEN });
    // A buyer whose WhatsApp name is a formula, and 100,000 orders of theirs.
    await h.db.query(`INSERT INTO users (wa_id, name) VALUES ('6289911110001', '=HYPERLINK("http://evil.example","klik")')`);
    await h.db.query(`INSERT INTO products (code, name, price) VALUES ('CSV1', 'Produk, dengan koma', 12500)`);
    await h.db.query(
      `INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, created_at)
       SELECT 'KD-20261130-' || upper(lpad(to_hex(g), 8, '0')), (SELECT id FROM users WHERE wa_id = '6289911110001'), 'purchase',
              (SELECT id FROM products WHERE code = 'CSV1'), 1, 12500, 12500, 'gateway',
              CASE WHEN g % 4 = 0 THEN 'cancelled' ELSE 'expired' END, timestamptz '2026-11-29 17:30:00+00' + make_interval(secs => g)
         FROM generate_series(1, ${ROWS}) g`,
    );
    await h.db.query(`INSERT INTO ledger_entries (user_id, amount, kind, note) SELECT id, 50000, 'adjustment', '-credit by =admin' FROM users WHERE wa_id = '6289911110001'`);
    await h.db.query(`INSERT INTO ledger_entries (user_id, amount, kind, note) SELECT id, -20000, 'adjustment', 'minus' FROM users WHERE wa_id = '6289911110001'`);
    get = await adminSession(h, TOKEN);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('streams 100,000 orders as CSV: every row once, amounts as integers, times in WIB, names neutralised', async () => {
    const res = await fetch(`${h.url}/admin/orders.csv`, { headers: { cookie: await cookie() } });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="kedai-pesanan-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    // In the store's language, as the dashboard is: the column names and the coded words.
    expect(lines[0]).toBe(dashboardTexts('id').orders.csvOrderHead.join(','));
    expect(lines[0]).not.toBe(ORDER_EXPORT_HEAD.join(','));
    expect(lines).toHaveLength(ROWS + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(ROWS);
    // The first order: 2026-11-29 17:30:01 UTC is 2026-11-30 00:30:01 WIB.
    expect(lines[1]).toBe(
      `KD-20261130-00000001,2026-11-30 00:30:01,6289911110001,"'=HYPERLINK(""http://evil.example"",""klik"")",pembelian,CSV1,"Produk, dengan koma",1,12500,0,12500,Midtrans,kedaluwarsa,,`,
    );
  }, 120_000);

  it('exports the list as filtered, and the ledger with negative amounts as plain integers and notes neutralised', async () => {
    const cancelled = (await get('/admin/orders.csv?status=cancelled')).split('\r\n').filter(Boolean);
    expect(cancelled).toHaveLength(ROWS / 4 + 1);
    expect(cancelled.slice(1).every((l) => l.includes(',dibatalkan,'))).toBe(true);
    const ledger = (await get('/admin/ledger.csv')).split('\r\n').filter(Boolean);
    const mine = ledger.filter((l) => l.includes('6289911110001'));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatch(/,penyesuaian,50000,50000,,'-credit by =admin$/);
    expect(mine[1]).toMatch(/,penyesuaian,-20000,30000,,minus$/);
    // The orders page links the filtered download.
    expect(await get('/admin/orders?status=cancelled')).toContain('href="/admin/orders.csv?status=cancelled"');
  });

  it('finds an order by its id, a buyer by number, a product by code, and pages back through 100,000 orders with indexes', async () => {
    const count = (html: string) => (html.match(/<tr><td><a href="\/admin\/orders\/KD-/g) ?? []).length;
    expect(count(await get('/admin/orders?q=kd-20261130-0000000a'))).toBe(1);
    expect(count(await get('/admin/orders?q=6289911110001'))).toBe(50);
    const first = await get('/admin/orders?q=CSV1&status=cancelled');
    expect(count(first)).toBe(50);
    const next = /data-next href="([^"]+)"/.exec(first)![1]!.replace(/&#38;|&amp;/g, '&');
    const second = await get(next);
    const ids = (html: string) => [...html.matchAll(/href="\/admin\/orders\/(KD-[^"]+)"/g)].map((m) => m[1]);
    expect(count(second)).toBe(50);
    expect(ids(second).some((x) => ids(first).includes(x))).toBe(false);
    expect(ids(second).every((x) => Number.parseInt(x!.slice(-8), 16) % 4 === 0)).toBe(true);
    // The search goes into the download too.
    const csv = (await get('/admin/orders.csv?q=KD-20261130-0000000A')).split('\r\n').filter(Boolean);
    expect(csv).toHaveLength(2);
    // Each list's query walks an index, not every order.
    const plan = async (where: string) =>
      (await h.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM orders o WHERE ${where} ORDER BY o.id DESC LIMIT 50`)).map((r) => r['QUERY PLAN']).join(' ');
    await h.db.query('ANALYZE orders');
    expect(await plan(`o.status = 'cancelled'`)).toMatch(/Index.*orders_by_status|Index.*orders_pkey/);
    expect(await plan(`o.product_id = (SELECT id FROM products WHERE code = 'CSV1') AND o.id < 50000`)).toMatch(/Index/);
  });

  it('pages the products 50 at a time, whatever their number', async () => {
    await h.db.query(`INSERT INTO products (code, name, price) SELECT 'PG' || lpad(g::text, 5, '0'), 'Produk ' || g, 1000 FROM generate_series(1, 10000) g`);
    await h.kedai.deps.cache.invalidate(['catalogue']);
    const page2 = await get('/admin/products?page=2');
    expect(page2).toMatch(/halaman 2 dari 201 \(10001 produk\)/);
    expect((page2.match(/data-product="/g) ?? []).length).toBe(50);
    // The stock page's counts too: one page of products at a time.
    const stock2 = await get('/admin/stock?page=2');
    expect(stock2).toMatch(/halaman 2 dari 201/);
    expect((stock2.match(/data-available="/g) ?? []).length).toBe(50);
    // Found by the start of the code or any part of the name; the search stays in the paging links.
    const codes = (html: string) => [...html.matchAll(/data-product="([^"]+)"/g)].map((m) => m[1]);
    expect(codes(await get('/admin/products?q=pg0000'))).toEqual(['PG00001', 'PG00002', 'PG00003', 'PG00004', 'PG00005', 'PG00006', 'PG00007', 'PG00008', 'PG00009']);
    expect(codes(await get(`/admin/products?q=${encodeURIComponent('produk 1234')}`))).toEqual(['PG01234']);
    const named = await get('/admin/products?q=Produk&page=3');
    expect(named).toMatch(/halaman 3 dari 201 \(10001 produk\)/);
    expect(named).toContain('href="/admin/products?q=Produk&#38;page=4"');
    // LIKE's wildcards are only characters here.
    for (const wild of ['%', '_', '\\']) expect(await get(`/admin/products?q=${encodeURIComponent(wild)}`)).toContain('Tidak ada produk yang cocok');
    // No form lists every product: the code is typed, with at most one page offered.
    for (const path of ['/admin/stock', '/admin/categories', '/admin/topups']) {
      expect([path, ((await get(path)).match(/<option/g) ?? []).length <= 100]).toEqual([path, true]);
    }
  });

  it('pages the vouchers, the top-up products and the supplier orders 50 at a time; the stuck top-ups on the home page whatever their age', async () => {
    await h.db.query(`INSERT INTO vouchers (code, percent, max_uses) SELECT 'PV' || lpad(g::text, 4, '0'), 10, 5 FROM generate_series(1, 120) g`);
    const vouchers3 = await get('/admin/vouchers?page=3');
    expect(vouchers3).toMatch(/halaman 3 dari 3/);
    expect((vouchers3.match(/data-voucher="PV/g) ?? []).length).toBe(20);
    await h.db.query(`INSERT INTO products (code, name, price, supplier_sku) SELECT 'TU' || lpad(g::text, 4, '0'), 'Pulsa ' || g, 11000, 'sku' || g FROM generate_series(1, 120) g`);
    // Settled supplier rows for 120 of the orders (nothing left for a worker), and one still open for two days:
    // those orders become top-ups sold as that SKU first (the database takes a supplier row only for what was sold).
    await h.db.query(
      `UPDATE orders SET target = '081234567890', supplier = 'digiflazz', supplier_sku = 'sku1', supplier_cost = 10000
        WHERE id IN (SELECT id FROM orders WHERE product_id = (SELECT id FROM products WHERE code = 'CSV1') ORDER BY id LIMIT 120)
           OR id = (SELECT max(id) FROM orders WHERE product_id = (SELECT id FROM products WHERE code = 'CSV1'))`,
    );
    await h.db.query(
      `INSERT INTO supplier_orders (order_id, supplier, ref_id, sku, customer_no, max_price, status, rc, resolved_at, created_at)
       SELECT id, 'digiflazz', public_id, 'sku1', '081234567890', 10000, 'failed', '40', now(), now() - make_interval(mins => id::int)
         FROM orders WHERE product_id = (SELECT id FROM products WHERE code = 'CSV1') ORDER BY id LIMIT 120`,
    );
    const open = await h.one<{ public_id: string }>(
      `INSERT INTO supplier_orders (order_id, supplier, ref_id, sku, customer_no, max_price, status, next_check_at, created_at)
       SELECT id, 'digiflazz', public_id, 'sku1', '081234567890', 10000, 'unknown', now() + interval '1 hour', now() - interval '2 days'
         FROM orders WHERE product_id = (SELECT id FROM products WHERE code = 'CSV1') ORDER BY id DESC LIMIT 1 RETURNING ref_id AS public_id`,
    );
    const topups = await get('/admin/topups?page=3&orders=2');
    expect((topups.match(/<tr><td><b>TU/g) ?? []).length).toBe(20);
    expect((topups.match(/data-supplier-order="/g) ?? []).length).toBe(50);
    expect(topups).toContain('href="/admin/topups?page=3&#38;orders=3"');
    const third = await get('/admin/topups?orders=3');
    expect((third.match(/data-supplier-order="/g) ?? []).length).toBe(21);
    // 121 newer supplier rows do not hide the one that waits for the supplier's word.
    expect(await get('/admin')).toContain(`Top-up <a href="/admin/orders/${open.public_id}">`);
  });

  it('pages the buyers 50 at a time, the most recently active first, by index', async () => {
    await h.db.query(`INSERT INTO users (wa_id, name, last_seen_at) SELECT '62877' || lpad(g::text, 7, '0'), 'Pembeli ' || g, now() - make_interval(mins => g) FROM generate_series(1, 120) g`);
    const rowsOf = (html: string) => [...html.matchAll(/<tr><td><a href="\/admin\/buyers\/(\d+)">/g)].map((m) => m[1]);
    const first = await get('/admin/buyers');
    expect(rowsOf(first)).toHaveLength(50);
    const order = rowsOf(first).filter((w) => w!.startsWith('62877'));
    expect(order.slice(0, 3)).toEqual(['628770000001', '628770000002', '628770000003']);
    const third = await get('/admin/buyers?page=3');
    expect(third).toContain('halaman 3');
    expect(rowsOf(third).every((w) => !rowsOf(first).includes(w))).toBe(true);
    // At 100,000 users the list is an index walk, not a sort of everyone.
    await h.db.query(`INSERT INTO users (wa_id, name, last_seen_at) SELECT '62878' || lpad(g::text, 7, '0'), 'Lama ' || g, now() - interval '30 days' - make_interval(mins => g) FROM generate_series(1, 100000) g`);
    await h.db.query('ANALYZE users');
    const plan = (await h.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM users ORDER BY coalesce(last_seen_at, created_at) DESC LIMIT 50 OFFSET 100`)).map((r) => r['QUERY PLAN']).join(' ');
    expect(plan).toContain('users_recent');
  });

  async function cookie(): Promise<string> {
    const login = await fetch(`${h.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    return login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
});
