import { mkdirSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, startKedai, type Harness } from './helpers.js';
import { launchChromium } from './browser.js';

const TOKEN = 'dashboard-en-test-token-0123456789';
const BUYER = '6289400000077';
const PAGES = ['/admin', '/admin/products', '/admin/categories', '/admin/stock', '/admin/topups', '/admin/vouchers', '/admin/orders', '/admin/buyers', '/admin/broadcast', '/admin/reports', '/admin/settings', '/admin/whatsapp', '/admin/system'];
/** Indonesian words that an English page must not show (whole words, as the dashboard uses them). */
const INDONESIAN = /\b(Simpan|Tambah|Cari|Pesanan|Pembeli|Belum|halaman|Keluar|Ringkasan|tersedia|dipesan|terjual|Kirim|Sebelumnya|Berikutnya|sampai|untuk|dari|dan|Pengaturan|Laporan|Kategori|Stok|Saldo|menit|Omzet|Produk|Tidak|ada)\b/;

describe(`the dashboard and the web chat in English, LOCALE=en (${concurrentBackend.name})`, () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ADMIN_TOKEN: TOKEN, LOCALE: 'en' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await h.chat(ADMIN, '.addproduk EN1|English Voucher|12000');
    await h.chat(ADMIN, '.addstok EN1\nEN-KEY-1\nEN-KEY-2');
    await h.chat(ADMIN, `.addsaldo ${BUYER} 12000`);
    await h.chat(BUYER, '.buy EN1');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('logs in, and shows every page in English at phone width: no Indonesian word, dates as 30 Nov 2026, 08:05 WIB, nothing wider than the screen', async () => {
    await page.goto(`${h.url}/admin`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button');
    expect(await page.textContent('.err')).toBe('Wrong token.');
    await page.fill('input[name=token]', TOKEN);
    await page.click('button:has-text("Log in")');
    await page.waitForURL(`${h.url}/admin`);
    expect(await page.textContent('main')).toContain('Revenue today');
    const wib = new Date(Date.now() + 7 * 3_600_000);
    const today = `${wib.getUTCDate()} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][wib.getUTCMonth()]}`;
    const revenue = await page.textContent('[data-chart=revenue]');
    expect(revenue).toContain('Revenue per day, 30 days');
    expect(revenue).toContain(today);
    expect(revenue).toContain('12k');
    expect(await page.textContent('[data-chart=orders]')).toContain('1 order');
    await page.goto(`${h.url}/admin/system`);
    expect(await page.textContent('[data-memory]')).toMatch(/Bot process memory: \d+ MB/);
    mkdirSync('test-results/screens', { recursive: true });
    for (const path of PAGES) {
      await page.goto(`${h.url}${path}`);
      const text = `${await page.textContent('nav')} ${await page.textContent('main')}`;
      expect([path, INDONESIAN.exec(text)?.[0] ?? null]).toEqual([path, null]);
      expect([path, await page.getAttribute('html', 'lang')]).toEqual([path, 'en']);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)]).toEqual([path, true]);
      await page.screenshot({ path: `test-results/screens/en-${path.split('/').at(-1)}-phone.png`, fullPage: true });
    }
    await page.goto(`${h.url}/admin/orders?status=delivered`);
    expect(await page.textContent('td[data-status=delivered]')).toBe('delivered');
    expect(await page.textContent('main')).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} WIB/);
  });

  it('runs the forms in English: a bad price gets the English reason, a good one the English confirmation', async () => {
    await page.goto(`${h.url}/admin/products`);
    if (page.url().includes('/admin/login')) {
      await page.fill('input[name=token]', TOKEN);
      await page.click('button');
      await page.goto(`${h.url}/admin/products`);
    }
    await page.fill('input[name=code]', 'EN2');
    await page.fill('input[placeholder=Name]', 'Second');
    await page.fill('input[placeholder=Price]', 'cheap');
    await page.click('button:has-text("Add")');
    expect(await page.textContent('.err')).toContain('The amount must be a whole number');
    expect(await h.db.query(`SELECT 1 FROM products WHERE code = 'EN2'`)).toEqual([]);
    await page.fill('input[name=code]', 'EN2');
    await page.fill('input[placeholder=Name]', 'Second');
    await page.fill('input[placeholder=Price]', '5.000');
    await page.click('button:has-text("Add")');
    expect(await page.textContent('.ok')).toBe('Product EN2 added.');
    await page.goto(`${h.url}/admin/stock?code=EN2`);
    await page.fill('textarea[name=items]', 'EN2-A\nEN2-B');
    await page.click('button:has-text("Add")');
    expect(await page.textContent('.ok')).toContain('2 items added to EN2');
    // The chat in English writes its times as English does.
    await h.chat('6289400000078', '.buynow EN2');
    expect(await h.last('6289400000078')).toMatch(/Pay before \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2} WIB\./);
    await page.goto(`${h.url}/admin/broadcast`);
    expect(await page.textContent('[data-reach]')).toMatch(/Will reach \d+ buyers?: only those who wrote to the store in the last 24 hours/);
  });

  it('shows the web chat in English, with times as 08:05 WIB', async () => {
    const chat = await browser.newPage();
    try {
      await chat.goto(`${h.url}/chat`);
      expect(await chat.getAttribute('html', 'lang')).toBe('en');
      const pane = chat.locator('.pane').first();
      expect(await pane.locator('textarea').getAttribute('placeholder')).toBe('Type a message');
      await pane.locator('textarea').fill('.menu');
      await pane.locator('textarea').press('Enter');
      await pane.locator('.m.out time').first().waitFor();
      expect(await pane.locator('.m.out time').first().textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} WIB$/);
      // The demo's pay page speaks English too, and paying there delivers in the chat.
      const payer = '6289400000079';
      await h.chat(ADMIN, '.addstok EN1\nEN-KEY-3');
      await h.chat(payer, '.buynow EN1');
      const link = /https?:\/\/\S+/.exec(await h.last(payer))![0];
      await chat.goto(link.replace(/^https?:\/\/[^/]+/, h.url));
      expect(await chat.getAttribute('html', 'lang')).toBe('en');
      await chat.click('button:has-text("Pay")');
      await chat.waitForFunction(() => document.getElementById('result')!.textContent !== '');
      expect(await chat.textContent('#result')).toBe('Paid. Back to the chat: the goods are on their way.');
      for (let i = 0; i < 100 && !(await h.sentTo(payer)).some((t) => t.includes('EN-KEY-')); i++) await h.kedai.settle().then(() => new Promise((r) => setTimeout(r, 50)));
      expect((await h.sentTo(payer)).filter((t) => t.includes('EN-KEY-'))).toHaveLength(1);
    } finally {
      await chat.close();
    }
  });
});
