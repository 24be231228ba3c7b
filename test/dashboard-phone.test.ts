import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, startKedai, stockProduct, type Harness } from './helpers.js';
import { launchChromium, logIn } from './browser.js';

const TOKEN = 'dashboard-phone-admin-token-0123456789';

/** The dashboard as a seller uses it on a phone (390 px) and a desktop, in Debian's Chromium. */
describe('the dashboard on a phone, and its destructive actions', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ADMIN_TOKEN: TOKEN });
    await stockProduct(h, 'PHONE1', 12_000, ['P-1', 'P-2']);
    await h.chat(ADMIN, '.addvoucher HEMATPHONE 10% 100 30');
    await h.chat(ADMIN, '.addsaldo 6281277700001 50000');
    await h.chat('6281277700001', '.buy PHONE1');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await logIn(page, h.url, TOKEN);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('the products page is a list, not a wall of inputs: each row one product, its forms opened on demand', async () => {
    await page.goto(`${h.url}/admin/products`);
    expect(await page.locator('tr[data-product=PHONE1] input:visible').count()).toBe(0);
    expect(await page.textContent('tr[data-product=PHONE1]')).toContain('PHONE1 · Produk PHONE1 · Rp12.000');
    const row = await page.locator('tr[data-product=PHONE1]').boundingBox();
    expect(row!.height).toBeLessThan(160);
  });

  it('at 390 px every list reads as cards: nothing cut off, nothing sideways', async () => {
    for (const path of ['/admin/stock', '/admin/topups', '/admin/vouchers', '/admin/orders', '/admin/products']) {
      await page.goto(`${h.url}${path}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, wide: wide <= 390 }).toEqual({ path, wide: true });
      // Every cell of a list with a header names its column (a cell of buttons needs no name).
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('table.cards tr:not(.head) td')].filter((td) => !(td as HTMLElement).dataset.label && td.textContent!.trim() !== '' && !td.querySelector('form, button')).length,
      );
      expect({ path, unnamed }).toEqual({ path, unnamed: 0 });
    }
  });

  it('shows an order status in its colour', async () => {
    await page.goto(`${h.url}/admin/orders`);
    expect(await page.locator('td[data-status=delivered] .st.st-delivered').count()).toBeGreaterThan(0);
  });

  it('asks before taking a product off sale; lists it under inactive products; brings it back with its stock', async () => {
    await page.goto(`${h.url}/admin/products`);
    const button = page.locator('tr[data-product=PHONE1] button.danger');
    await page.click('tr[data-product=PHONE1] summary');
    // Dismissed: nothing happens.
    page.once('dialog', (d) => void d.dismiss());
    await button.click();
    await page.waitForTimeout(300);
    expect((await h.one<{ active: boolean }>(`SELECT active FROM products WHERE code = 'PHONE1'`)).active).toBe(true);
    // Accepted: off sale, and listed as inactive.
    let asked = '';
    page.once('dialog', (d) => void ((asked = d.message()), d.accept()));
    if (!(await button.isVisible())) await page.click('tr[data-product=PHONE1] summary');
    await button.click();
    await page.waitForURL(/\/admin\/products/);
    expect(asked).toContain('Nonaktifkan PHONE1?');
    await page.locator('tr[data-inactive=PHONE1]').waitFor();
    await h.chat('6281277700002', '.info PHONE1');
    expect(await h.last('6281277700002')).toContain('tidak ditemukan');
    await page.click('tr[data-inactive=PHONE1] button');
    await page.waitForURL(/\/admin\/products/);
    expect(await page.textContent('.ok')).toContain('PHONE1 aktif lagi');
    await h.chat('6281277700002', '.info PHONE1');
    expect(await h.last('6281277700002')).toContain('Stok: 1');
  });

  it('says nothing in English on the Indonesian dashboard (Total, Status and Role are Indonesian words too)', async () => {
    const english = /\b(Save|Delete|Add|Search|Orders?|Products?|Buyers?|Settings|Reports|Stock|delivered|pending|paid|expired|cancelled|refunded|balance|gateway|purchase|Next|Previous|Page|Name|Price|None|Back|Overview|System)\b/;
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    for (const path of ['/admin', '/admin/products', '/admin/categories', '/admin/stock', '/admin/topups', '/admin/vouchers', '/admin/orders', '/admin/buyers', '/admin/broadcast', '/admin/reports', '/admin/settings', '/admin/whatsapp', '/admin/system', '/admin/buyers/6281277700001']) {
      const html = await (await fetch(`${h.url}${path}`, { headers: { cookie } })).text();
      const text = html.replace(/<style[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/&#\d+;/g, ' ');
      expect([path, english.exec(text)?.[0] ?? null]).toEqual([path, null]);
    }
  });
});
