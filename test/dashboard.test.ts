import { mkdirSync } from 'node:fs';
import { type Browser, type Dialog, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, startKedai, type Harness } from './helpers.js';
import { launchChromium, screenshotOnFailure } from './browser.js';

const TOKEN = 'dashboard-test-token-0123456789';
const BUYER = '6289400000001';
const ADMIN_NUMBER = ADMIN;

describe(`the admin dashboard in a real browser (${concurrentBackend.name})`, () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ADMIN_TOKEN: TOKEN });
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const step = (name: string, run: () => Promise<void>) => screenshotOnFailure(page, `dashboard-${name}`, run);

  it('logs in, creates a product, stocks it, funds a buyer who buys, and shows the order with its item', async () => {
    await step('login', async () => {
      await page.goto(`${h.url}/admin`);
      expect(page.url()).toContain('/admin/login');
      await page.fill('input[name=token]', 'not-the-token');
      await page.click('button');
      expect(await page.textContent('body')).toContain('Token salah');
      await page.fill('input[name=token]', TOKEN);
      await page.click('button');
      await page.waitForURL(`${h.url}/admin`);
      expect(await page.textContent('body')).toContain('Omzet hari ini');
      // The system's figures have a page of their own; the overview is the business.
      expect(await page.locator('[data-live]').count()).toBe(0);
      await page.goto(`${h.url}/admin/system`);
      expect(await page.textContent('[data-live]')).toMatch(/database [\d.]+ ms/);
    });
    await step('product', async () => {
      await page.goto(`${h.url}/admin/products`);
      await page.fill('input[name=code]', 'DASH1');
      await page.fill('input[placeholder=Nama]', 'Dashboard Voucher');
      await page.fill('input[placeholder=Harga]', '12.000');
      await page.click('button:has-text("Tambah")');
      expect(await page.textContent('.ok')).toContain('DASH1');
    });
    await step('stock', async () => {
      await page.goto(`${h.url}/admin/stock`);
      await page.fill('input[name=code]', 'dash1');
      // The same key pasted twice goes on sale once.
      await page.fill('textarea[name=items]', 'DASH-ITEM-A\nDASH-ITEM-B\nDASH-ITEM-C\nDASH-ITEM-A');
      await page.click('button:has-text("Tambah")');
      expect(await page.textContent('.ok')).toContain('3 stok ditambahkan');
      expect(await page.textContent('.ok')).toContain('1 baris dilewati');
      expect(await page.textContent('[data-available="DASH1"]')).toBe('3');
    });
    await step('buyer', async () => {
      await h.chat(BUYER, '.produk');
      expect(await h.last(BUYER)).toContain('DASH1');
      // The buyer's first message made them a user (recorded in the background).
      for (let i = 0; i < 50 && !(await h.db.query(`SELECT 1 FROM users WHERE wa_id = $1`, [BUYER])).length; i++) await new Promise((r) => setTimeout(r, 20));
      await page.goto(`${h.url}/admin/buyers/${BUYER}`);
      await page.fill('input[name=amount]', '+12000');
      await page.fill('input[name=reason]', 'hadiah');
      await page.click('button:has-text("Ubah saldo")');
      expect(await page.textContent('.ok')).toContain('Saldo sekarang Rp12.000');
      expect(await page.textContent('[data-balance]')).toBe('Rp12.000');
      await h.chat(BUYER, '.buy DASH1');
      expect(await h.last(BUYER)).toContain('DASH-ITEM-A');
    });
    await step('settings', async () => {
      await page.goto(`${h.url}/admin/settings`);
      await page.fill('input[name=store_name]', 'Toko Dasbor');
      await page.fill('textarea[name=contact_text]', 'CS: wa.me/6281299990000');
      await page.fill('input[name=opening_hours]', '09.00–21.00 WIB');
      await page.click('button:has-text("Simpan")');
      expect(await page.textContent('.ok')).toContain('disimpan');
      await h.chat(BUYER, '.menu');
      expect(await h.last(BUYER)).toContain('*Toko Dasbor*');
      await h.chat(BUYER, '.cs');
      expect(await h.last(BUYER)).toBe('CS: wa.me/6281299990000');
      await h.chat(BUYER, '.info');
      expect(await h.last(BUYER)).toContain('Jam buka: 09.00–21.00 WIB');
    });
    await step('orders', async () => {
      await page.goto(`${h.url}/admin/orders?status=delivered&buyer=${BUYER}`);
      expect(await page.textContent('td[data-status=delivered]')).toBe('terkirim');
      await page.click('td a');
      expect(await page.textContent('[data-item]')).toBe('DASH-ITEM-A');
      expect(await page.textContent('[data-status]')).toBe('terkirim');
    });
  });

  /**
   * What the pages below need, whichever test runs first or alone: a logged-in page, and
   * product DASH1 with items of which the buyer bought one from the balance (Rp12.000 today).
   */
  async function ready(): Promise<void> {
    if (!(await h.db.query(`SELECT 1 FROM products WHERE code = 'DASH1'`)).length) {
      await h.chat(ADMIN, '.addproduk DASH1|Dashboard Voucher|12000');
      await h.chat(ADMIN, '.addstok DASH1\nDASH-ITEM-A\nDASH-ITEM-B\nDASH-ITEM-C');
      await h.chat(ADMIN, `.addsaldo ${BUYER} 12000`);
      await h.chat(BUYER, '.buy DASH1');
    }
    await page.goto(`${h.url}/admin`);
    if (page.url().includes('/admin/login')) {
      await page.fill('input[name=token]', TOKEN);
      await page.click('button');
      await page.waitForURL(`${h.url}/admin`);
    }
  }

  it('shows the overview as a seller reads it, at phone width and on a desktop: 30 dated bars with values, what needs attention, memory with context', async () => {
    await ready();
    const wib = new Date(Date.now() + 7 * 3_600_000);
    const today = `${wib.getUTCDate()} ${['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'][wib.getUTCMonth()]}`;
    // Something that needs attention: a product with its stock at the threshold.
    await h.chat(ADMIN_NUMBER, '.addproduk LOWDASH|Hampir habis|5000');
    await h.chat(ADMIN_NUMBER, '.addstok LOWDASH\nLOW-1');
    for (const [name, width, height] of [['phone', 390, 844], ['desktop', 1280, 900]] as const) {
      await step(`overview-${name}`, async () => {
        await page.setViewportSize({ width, height });
        await page.goto(`${h.url}/admin`);
        // One bar per day for 30 days, in each chart; today's sale is on the last bar, labelled with the date.
        expect(await page.locator('[data-chart=revenue] rect').count()).toBe(30);
        expect(await page.locator('[data-chart=orders] rect').count()).toBe(30);
        const revenue = await page.textContent('[data-chart=revenue]');
        expect(revenue).toContain('Omzet per hari, 30 hari');
        expect(revenue).toContain(today);
        expect(revenue).toContain('12 rb');
        expect(await page.textContent('[data-attention]')).toContain('LOWDASH');
        expect(await page.locator('[data-chart=top] rect').count()).toBeGreaterThanOrEqual(1);
        expect(await page.textContent('[data-chart=top]')).toContain('DASH1');
        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        mkdirSync('test-results/screens', { recursive: true });
        await page.screenshot({ path: `test-results/screens/overview-${name}.png`, fullPage: true });
      });
    }
    await step('system', async () => {
      await page.goto(`${h.url}/admin/system`);
      expect(await page.textContent('[data-memory]')).toMatch(/Memori proses bot: \d+ MB \(RSS/);
    });
    await step('dates', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${h.url}/admin/orders`);
      expect(await page.textContent('main')).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}\.\d{2} WIB/);
    });
  });

  it('does what the chat admin commands do, each page at phone width through its happy path and one bad input', async () => {
    await ready();
    await page.setViewportSize({ width: 390, height: 844 });
    // A destructive button asks first (dashboard-phone.test.ts tests the question): the seller says yes.
    const yes = (d: Dialog) => void d.accept();
    page.on('dialog', yes);
    const fits = async (name: string) => {
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      mkdirSync('test-results/screens', { recursive: true });
      await page.screenshot({ path: `test-results/screens/${name}-phone.png`, fullPage: true });
    };
    await step('categories', async () => {
      await page.goto(`${h.url}/admin/categories`);
      await page.fill('input[name=code]', 'DASH1');
      await page.fill('input[name=category]', '12345');
      await page.click('button:has-text("Simpan")');
      expect(await page.textContent('.err')).toBeTruthy();
      await page.fill('input[name=code]', 'NOPE404');
      await page.fill('input[name=category]', 'Game');
      await page.click('button:has-text("Simpan")');
      expect(await page.textContent('.err')).toContain('NOPE404');
      await page.fill('input[name=code]', 'DASH1');
      await page.fill('input[name=category]', 'Game');
      await page.click('button:has-text("Simpan")');
      expect(await page.textContent('.ok')).toContain('DASH1 sekarang di Game');
      expect(await page.textContent('[data-categories]')).toContain('Game');
      await fits('categories');
    });
    await step('vouchers', async () => {
      await page.goto(`${h.url}/admin/vouchers`);
      await page.fill('input[name=code]', 'DASHV');
      await page.fill('input[name=discount]', 'banyak');
      await page.click('button:has-text("Buat")');
      expect(await page.textContent('.err')).toContain('Format salah');
      await page.fill('input[name=code]', 'DASHV');
      await page.fill('input[name=discount]', '10%');
      await page.fill('input[name=maxUses]', '5');
      await page.click('button:has-text("Buat")');
      expect(await page.textContent('.ok')).toContain('Voucher DASHV dibuat');
      expect(await page.textContent('[data-voucher="DASHV"]')).toContain('sisa 5 dari 5');
      await page.click('[data-voucher="DASHV"] button:has-text("Hentikan")');
      expect(await page.textContent('.ok')).toContain('DASHV dihapus');
      expect(await page.locator('[data-voucher="DASHV"]').count()).toBe(0);
      await fits('vouchers');
    });
    await step('broadcast', async () => {
      await page.goto(`${h.url}/admin/broadcast`);
      expect(await page.textContent('[data-reach]')).toMatch(/Akan sampai ke \d+ pembeli: hanya yang menulis ke toko dalam 24 jam/);
      await page.fill('textarea[name=text]', '*Promo* <b>hari ini</b>');
      await page.click('button:has-text("Pratinjau")');
      // As a phone shows it: *bold* bold, typed HTML as text.
      expect(await page.textContent('[data-preview] .wa')).toBe('Promo <b>hari ini</b>');
      expect(await page.textContent('[data-preview] .wa b')).toBe('Promo');
      const before = (await h.sentTo(BUYER)).length;
      await page.click('[data-preview] button');
      expect(await page.textContent('.ok')).toBeTruthy();
      await h.kedai.settle();
      expect((await h.sentTo(BUYER)).slice(before)).toContain('*Promo* <b>hari ini</b>');
      await fits('broadcast');
    });
    await step('reports', async () => {
      await page.goto(`${h.url}/admin/reports?from=2026-13-01&to=x`);
      expect(await page.textContent('.err')).toContain('Rentang tidak valid');
      const wib = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
      await page.goto(`${h.url}/admin/reports?from=${wib}&to=${wib}`);
      const recaps = await page.locator('[data-recap]').allTextContents();
      expect(recaps.at(-1)).toContain('DASH1');
      expect(recaps[0]).toContain('Rp12.000');
      await fits('reports');
    });
    await step('groups', async () => {
      // `.grup off` is said in the group; the settings page lists it and turns it on again.
      const GROUP = '120363000000009@g.us';
      const inGroup = async (from: string, text: string) => {
        expect((await h.post('/chat/api/send', { from, text, group: GROUP })).status).toBe(202);
        await h.kedai.settle();
      };
      await inGroup(ADMIN_NUMBER, '.grup off');
      await page.goto(`${h.url}/admin/settings`);
      expect(await page.textContent('[data-groups-off]')).toContain(GROUP);
      await fits('settings');
      await page.click('[data-groups-off] button:has-text("Nyalakan lagi")');
      expect(await page.textContent('.ok')).toContain(GROUP);
      expect(await page.locator('[data-groups-off]').count()).toBe(0);
      const before = (await h.sentTo(GROUP)).length;
      await inGroup(BUYER, '.produk');
      expect((await h.sentTo(GROUP)).length).toBe(before + 1);
      // A bad setting is refused with the reason, and nothing changes.
      await page.fill('input[name=payment_expiry_minutes]', 'sebentar');
      await page.click('button:has-text("Simpan")');
      expect(await page.textContent('.err')).toBeTruthy();
      expect(await page.inputValue('input[name=payment_expiry_minutes]')).not.toBe('sebentar');
    });
    await step('desktop', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      for (const path of ['/admin/products', '/admin/categories', '/admin/stock', '/admin/topups', '/admin/vouchers', '/admin/orders', '/admin/buyers', '/admin/broadcast', '/admin/reports', '/admin/settings', '/admin/whatsapp']) {
        await page.goto(`${h.url}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        // Indonesian throughout (LOCALE=id): no English word of the dashboard's own.
        const words = `${await page.textContent('nav')} ${await page.textContent('main')}`;
        expect([path, /\b(the|Save|Add|Search|Orders|Products|Buyers|Settings|Reports|Connected|pairing|Log out|needed|page)\b/.exec(words)?.[0] ?? null]).toEqual([path, null]);
        mkdirSync('test-results/screens', { recursive: true });
        await page.screenshot({ path: `test-results/screens/${path.split('/').at(-1)}-desktop.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of ['/admin/stock', '/admin/topups', '/admin/orders', '/admin/buyers', '/admin/settings', '/admin/whatsapp']) {
        await page.goto(`${h.url}${path}`);
        expect([path, await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)]).toEqual([path, true]);
      }
    });
    await step('products', async () => {
      await page.goto(`${h.url}/admin/products`);
      expect(await page.textContent('[data-product="DASH1"]')).toMatch(/kategori Game · stok 2 tersedia · 0 dipesan · 1 terjual/);
      await fits('products');
      // A row is one line (code, name, price, its facts); its forms open under "Ubah".
      expect(await page.locator('[data-product="DASH1"] input[name=role]').isVisible()).toBe(false);
      await page.click('[data-product="DASH1"] summary');
      await page.fill('[data-product="DASH1"] input[name=role]', 'reseller');
      await page.fill('[data-product="DASH1"] input[placeholder="Harga role"]', 'murah');
      await page.click('[data-product="DASH1"] button:has-text("Harga role")');
      expect(await page.textContent('.err')).toContain('Nominal harus angka');
      await page.click('[data-product="DASH1"] summary');
      await page.fill('[data-product="DASH1"] input[name=role]', 'reseller');
      await page.fill('[data-product="DASH1"] input[placeholder="Harga role"]', '11.000');
      await page.click('[data-product="DASH1"] button:has-text("Harga role")');
      expect(await page.textContent('.ok')).toContain('reseller');
      expect(await page.textContent('[data-product="DASH1"]')).toContain('harga role: reseller Rp11.000');
      // A new product straight into a category (`.addproduk …|Category`); a category of digits is refused.
      await page.fill('input[name=code]', 'DASHCAT');
      await page.fill('input[placeholder=Nama]', 'Dengan kategori');
      await page.fill('input[placeholder=Harga]', '7000');
      await page.fill('input[name=category]', '12345');
      await page.click('button:has-text("Tambah")');
      expect(await page.textContent('.err')).toBeTruthy();
      expect(await h.db.query(`SELECT 1 FROM products WHERE code = 'DASHCAT'`)).toEqual([]);
      await page.fill('input[name=code]', 'DASHCAT');
      await page.fill('input[placeholder=Nama]', 'Dengan kategori');
      await page.fill('input[placeholder=Harga]', '7000');
      await page.fill('input[name=category]', 'Voucher Game');
      await page.click('button:has-text("Tambah")');
      expect(await page.textContent('.ok')).toContain('DASHCAT');
      await page.goto(`${h.url}/admin/products?q=DASHCAT`);
      expect(await page.textContent('[data-product="DASHCAT"]')).toContain('kategori Voucher Game');
      // Search by name; a search that matches nothing says so.
      await page.fill('input[name=q]', 'dashboard voucher');
      await page.click('button:has-text("Cari")');
      expect(await page.locator('[data-product]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product')))).toEqual(['DASH1']);
      await page.fill('input[name=q]', 'tidak-ada-yang-begini');
      await page.click('button:has-text("Cari")');
      expect(await page.textContent('main')).toContain('Tidak ada produk yang cocok dengan “tidak-ada-yang-begini”');
      // From a product to its stock form, the code filled in.
      await page.goto(`${h.url}/admin/products?q=DASH1`);
      await page.click('[data-product="DASH1"] a:has-text("tambah stok")');
      expect(await page.inputValue('input[name=code]')).toBe('DASH1');
    });
    await step('every other form', async () => {
      // The buyer's page: a balance that is not a number, a role of symbols, then each happy path.
      await page.goto(`${h.url}/admin/buyers/${BUYER}`);
      const balance = await page.textContent('[data-balance]');
      await page.fill('input[name=amount]', 'banyak');
      await page.fill('input[name=reason]', 'coba');
      await page.click('button:has-text("Ubah saldo")');
      expect(await page.textContent('.err')).toContain('Nominal harus angka');
      expect(await page.textContent('[data-balance]')).toBe(balance);
      await page.fill('input[name=role]', '!!!');
      await page.click('button:has-text("Simpan role")');
      expect(await page.textContent('.err')).toBeTruthy();
      await page.fill('input[name=role]', 'reseller');
      await page.click('button:has-text("Simpan role")');
      expect(await page.textContent('.ok')).toBe('Role: reseller.');
      await page.click('button:has-text("Blokir")');
      expect(await page.textContent('.ok')).toBe('Diblokir.');
      await page.click('button:has-text("Buka blokir")');
      expect(await page.textContent('.ok')).toBe('Blokir dibuka.');
      expect((await h.one<{ role: string; blocked: boolean }>(`SELECT role, blocked_at IS NOT NULL AS blocked FROM users WHERE wa_id = $1`, [BUYER]))).toEqual({ role: 'reseller', blocked: false });
      // A product's own form: a bad price changes nothing, a good one is saved.
      await page.goto(`${h.url}/admin/products?q=DASHCAT`);
      await page.click('[data-product="DASHCAT"] summary');
      await page.fill('[data-product="DASHCAT"] input[name=price]', 'mahal');
      await page.click('[data-product="DASHCAT"] button:has-text("Simpan")');
      expect(await page.textContent('.err')).toContain('Nominal harus angka');
      await page.goto(`${h.url}/admin/products?q=DASHCAT`);
      await page.click('[data-product="DASHCAT"] summary');
      await page.fill('[data-product="DASHCAT"] input[name=price]', '8.000');
      await page.click('[data-product="DASHCAT"] button:has-text("Simpan")');
      expect(await page.textContent('.ok')).toContain('DASHCAT');
      expect((await h.one<{ price: number }>(`SELECT price::int AS price FROM products WHERE code = 'DASHCAT'`)).price).toBe(8000);
      // Stock: to a product that does not exist; a count that is not one; then one item removed.
      await page.goto(`${h.url}/admin/stock?code=NOPE404`);
      await page.fill('textarea[name=items]', 'X-1');
      await page.click('button:has-text("Tambah")');
      expect(await page.textContent('.err')).toContain('NOPE404');
      await page.goto(`${h.url}/admin/stock?code=DASHCAT`);
      await page.fill('textarea[name=items]', 'CAT-1\nCAT-2');
      await page.click('button:has-text("Tambah")');
      expect(await page.textContent('.ok')).toContain('2 stok ditambahkan');
      await page.goto(`${h.url}/admin/stock?code=DASHCAT`);
      await page.fill('#DASHCAT input[name=count]', 'dua');
      await page.click('#DASHCAT button:has-text("Hapus tersedia")');
      expect(await page.textContent('.err')).toBeTruthy();
      await page.fill('#DASHCAT input[name=count]', '1');
      await page.click('#DASHCAT button:has-text("Hapus tersedia")');
      expect(await page.textContent('.ok')).toBe('1 item DASHCAT dihapus.');
      expect(await page.textContent('[data-available="DASHCAT"]')).toBe('1');
      // An empty broadcast is refused; deactivating a product takes it off sale.
      const empty = await fetch(`${h.url}/admin/broadcast`, { method: 'POST', redirect: 'manual', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(await page.getAttribute('input[name=_csrf]', 'value') ?? '')}&text=%20` });
      expect(decodeURIComponent(empty.headers.get('location') ?? '')).toContain('err=');
      await page.goto(`${h.url}/admin/products?q=DASHCAT`);
      await page.click('[data-product="DASHCAT"] summary');
      await page.click('[data-product="DASHCAT"] button:has-text("Nonaktifkan")');
      expect(await page.textContent('.ok')).toBe('Produk DASHCAT dinonaktifkan.');
      await h.chat(BUYER, '.info DASHCAT');
      expect(await h.last(BUYER)).toContain('tidak ditemukan');
    });
    await step('recheck', async () => {
      await h.chat(BUYER, '.buynow DASH1');
      const orderId = /KD-\d{8}-[0-9A-F]{8}/.exec(await h.last(BUYER))![0];
      await page.goto(`${h.url}/admin/orders/${orderId}`);
      await page.click('button:has-text("Cek ulang ke Midtrans")');
      expect(await page.textContent('.ok')).toContain(orderId);
      // `.cekbayar` without an order: every order awaiting a Midtrans payment.
      await page.goto(`${h.url}/admin/orders`);
      await page.click('button:has-text("Cek ulang semua")');
      expect(await page.textContent('.ok')).toContain(orderId);
      await h.chat(BUYER, '.batal');
    });
    page.off('dialog', yes);
  }, 90_000);

  it('refuses a form post without its CSRF token, and every admin route without a session', async () => {
    // A session of its own (a logged-in admin), whatever the browser did before.
    const login = await fetch(`${h.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).toMatch(/=/);
    const post = (path: string, body: string, withCookie: boolean) =>
      fetch(`${h.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withCookie ? { cookie } : {}) },
        body,
      });
    expect((await post('/admin/products', 'code=EVIL&name=Evil&price=1', true)).status).toBe(403);
    // A link cannot make the dashboard say something: a result message shows only with the seal of the session whose form it answers.
    const bait = 'Verifikasi Midtrans: transfer Rp1.000.000 ke rekening 123';
    expect(await (await fetch(`${h.url}/admin/products?err=${encodeURIComponent(bait)}&seal=x`, { headers: { cookie } })).text()).not.toContain('Verifikasi Midtrans');
    const csrfOf = async (c: string) => /name="_csrf" value="([^"]+)"/.exec(await (await fetch(`${h.url}/admin/vouchers`, { headers: { cookie: c } })).text())![1]!;
    const answered = await fetch(`${h.url}/admin/vouchers`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: await csrfOf(cookie), code: 'SEALV', discount: 'banyak' }),
    });
    const back = answered.headers.get('location')!;
    expect(back).toMatch(/^\/admin\/vouchers\?err=.*&seal=/);
    expect(await (await fetch(`${h.url}${back}`, { headers: { cookie } })).text()).toContain('class="err"');
    const other = (await fetch(`${h.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' })).headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(await (await fetch(`${h.url}${back}`, { headers: { cookie: other } })).text()).not.toContain('class="err"');
    // An order or buyer that does not exist: a page that says so, with what was asked escaped.
    for (const path of [`/admin/orders/${encodeURIComponent('KD-<script>alert(1)</script>')}`, `/admin/buyers/${encodeURIComponent('<img src=x onerror=alert(1)>')}`]) {
      const res = await fetch(`${h.url}${path}`, { headers: { cookie } });
      const html = await res.text();
      expect([res.status, res.headers.get('content-type')]).toEqual([404, 'text/html']);
      expect(html).toContain('tidak ditemukan');
      expect(html).not.toMatch(/<script>alert|<img src=x/);
    }
    expect(await h.db.query(`SELECT 1 FROM products WHERE code = 'EVIL'`)).toEqual([]);

    for (const path of ['/admin', '/admin/products', '/admin/stock', '/admin/orders', '/admin/buyers', `/admin/buyers/${BUYER}`, '/admin/settings']) {
      const res = await fetch(`${h.url}${path}`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([303, '/admin/login']);
    }
    for (const path of ['/admin/products', '/admin/stock', `/admin/buyers/${BUYER}/balance`, `/admin/buyers/${BUYER}/block`, '/admin/settings', '/admin/logout']) {
      expect((await post(path, 'x=1', false)).status).toBe(401);
    }
  });

  it('runs its scripts under the Content-Security-Policy: the file picker fills the items, the web chat sends and shows replies', async () => {
    const violations: string[] = [];
    const watched = await browser.newPage();
    watched.on('console', (m) => void (/Content Security Policy|Refused to/i.test(m.text()) && violations.push(m.text())));
    watched.on('pageerror', (e) => violations.push(e.message));
    try {
      await watched.goto(`${h.url}/admin/login`);
      await watched.fill('input[name=token]', TOKEN);
      await watched.click('button');
      await watched.waitForURL(`${h.url}/admin`);
      await watched.goto(`${h.url}/admin/stock`);
      await watched.setInputFiles('input[type=file]', { name: 'keys.csv', mimeType: 'text/csv', buffer: Buffer.from('"CSV-KEY-1"\nCSV-KEY-2\n') });
      await watched.waitForFunction(() => (document.querySelector('textarea[name=items]') as HTMLTextAreaElement).value.includes('CSV-KEY-2'));
      expect(await watched.inputValue('textarea[name=items]')).toBe('CSV-KEY-1\nCSV-KEY-2\n');
      await watched.goto(`${h.url}/chat`);
      const pane = watched.locator('.pane').first();
      await pane.locator('textarea').fill('.menu');
      await pane.locator('textarea').press('Enter');
      await pane.locator('.m.out').first().waitFor();
      expect(await pane.locator('.m.out').first().textContent()).toContain('menu');
      expect(violations).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('locks an address out after repeated wrong tokens', async () => {
    const tries = [];
    for (let i = 0; i < 6; i++) {
      tries.push((await fetch(`${h.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=wrong' })).status);
    }
    expect(tries).toEqual([401, 401, 401, 401, 401, 429]);
    const right = await fetch(`${h.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
    expect(right.status).toBe(429);
  });
});
