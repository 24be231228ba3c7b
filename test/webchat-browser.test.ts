import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, startKedai, type Harness } from './helpers.js';
import { launchChromium } from './browser.js';

/** The demo's web chat in a real browser (Debian's Chromium), at a phone's width and a desktop's. */
describe('the web chat in a real browser', () => {
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend);
    await h.chat(ADMIN, '.addproduk WEB1|Akun Web|15000|Contoh|Streaming');
    await h.chat(ADMIN, '.addstok WEB1\nWEB1-A\nWEB1-B');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const open = async (width: number, height: number) => {
    const page = await browser.newPage({ viewport: { width, height } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.url}/chat`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${h.url}/chat`);
    await page.locator('.pane').first().waitFor();
    return { page, errors };
  };

  it("shows WhatsApp's formatting as a phone does: *bold* bold, _italic_ italic, no stray asterisks; links stay whole", async () => {
    const { page, errors } = await open(1280, 900);
    try {
      const pane = page.locator('.pane').first();
      await pane.locator('textarea').fill('.menu');
      await pane.locator('textarea').press('Enter');
      await pane.locator('.m.out b').first().waitFor();
      expect(await pane.locator('.m.out b').first().textContent()).toBe('Menu');
      expect(await pane.locator('.m.out').first().textContent()).not.toContain('*Menu*');
      // The catalogue's categories are _italic_; a link is one anchor, its underscores untouched.
      await pane.locator('textarea').fill('.produk');
      await pane.locator('textarea').press('Enter');
      await pane.locator('.m.out i').first().waitFor();
      expect(await pane.locator('.m.out').nth(1).textContent()).not.toMatch(/(^|\s)_\S/);
      await h.post('/chat/api/send', { from: '6281234567890', text: '.buynow WEB1' });
      await pane.locator('.m.out a').first().waitFor();
      expect(await pane.locator('.m.out a').first().getAttribute('href')).toMatch(/\/sandbox\/midtrans\/snap\/v4\/redirection\/[\w-]+$/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('at 390 px shows one number at a time with tabs to switch, nothing off to the side; at 1280 px side by side', async () => {
    const { page, errors } = await open(390, 844);
    try {
      // A second number, as a seller trying the demo adds one.
      await page.fill('#num', '6281299990001');
      await page.click('#add');
      await page.locator('.pane').nth(1).waitFor({ state: 'attached' });
      await page.locator('#tabs button').first().click();
      const visible = async () => page.locator('.pane').evaluateAll((els) => els.map((e) => getComputedStyle(e).display !== 'none'));
      expect(await visible()).toEqual([true, false]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const box = await page.locator('.pane.active').boundingBox();
      expect(box!.width).toBeGreaterThan(340);
      await page.locator('#tabs button').nth(1).click();
      expect(await visible()).toEqual([false, true]);
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await visible()).toEqual([true, true]);
      expect(await page.locator('#tabs').isVisible()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('+ Nomor takes every form of a number the normaliser takes', async () => {
    const { page } = await open(1280, 900);
    try {
      for (const [typed, number] of [['0857 1111 2222', '6285711112222'], ['+62 812-3333-4444', '6281233334444'], ['0062 813 5555 6666', '6281355556666']] as const) {
        await page.fill('#num', typed);
        await page.click('#add');
        await page.locator(`.pane .top b:text-is("${number}")`).waitFor();
      }
      // Not a number: nothing added, the field marked.
      const before = await page.locator('.pane').count();
      await page.fill('#num', 'abc');
      await page.click('#add');
      expect(await page.locator('.pane').count()).toBe(before);
      expect(await page.locator('#num').evaluate((e) => (e as HTMLElement).style.outline)).toContain('solid');
    } finally {
      await page.close();
    }
  });
});
