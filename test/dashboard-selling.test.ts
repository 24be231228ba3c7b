import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { settleCommissions } from '../src/app/referral.js';
import { dashboardTexts } from '../src/i18n/dashboard.js';
import { textsFor } from '../src/i18n/index.js';
import { ADMIN, concurrentBackend, orderIdIn, said, startKedai, stockProduct, type Harness } from './helpers.js';
import { launchChromium, logIn, screenshotOnFailure } from './browser.js';

const TOKEN = 'selling-dashboard-token-0123456789';
const id = textsFor('id');
const dash = dashboardTexts('id');

/**
 * Issue #33 on the dashboard, in a real browser (Debian's Chromium): a product's form, hand
 * delivery and warranty set from its row; the Klaim page answering claims; the referral and
 * back-in-stock page. What the pages change is checked through the chat and the database.
 */
describe(`selling more on the dashboard, in a real browser (${concurrentBackend.name})`, () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let n = 0;
  const buyer = () => `62873300${String(++n).padStart(4, '0')}`;
  const product = (code: string) => h.one<{ form: string | null; manual: boolean; warranty_days: number }>('SELECT form, manual, warranty_days FROM products WHERE code = $1', [code]);

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ADMIN_TOKEN: TOKEN, REFERRAL_PERCENT: '10' });
    browser = await launchChromium();
    page = await browser.newPage();
    // A destructive button (reject) asks first; the seller says yes.
    page.on('dialog', (d) => void d.accept());
    await logIn(page, h.url, TOKEN);
  });
  afterAll(async () => {
    await browser?.close();
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
  });

  const step = (name: string, run: () => Promise<void>) => screenshotOnFailure(page, `selling-${name}`, run);

  /** Clicks a form's button and waits for the page it leads to (the flash of the action). */
  const submit = async (button: ReturnType<Page['locator']>) => {
    await Promise.all([page.waitForNavigation(), button.click()]);
  };

  /** Opens the product's "Cara jual" form on the products page, fills it, saves; returns the flash. */
  async function handling(code: string, fill: { form?: string; manual?: boolean; warranty?: string }) {
    await page.goto(`${h.url}/admin/products?q=${code}`);
    const row = page.locator(`[data-product="${code}"]`);
    await row.locator('details > summary').first().click();
    await row.locator('[data-handling] > summary').click();
    const f = row.locator('[data-handling] form');
    if (fill.form !== undefined) await f.locator('select[name=form]').selectOption(fill.form);
    if (fill.manual !== undefined) await f.locator('input[name=manual]').setChecked(fill.manual);
    if (fill.warranty !== undefined) await f.locator('input[name=warranty]').fill(fill.warranty);
    await submit(f.locator('button'));
    return (await page.locator('.ok, .err').first().textContent()) ?? '';
  }

  it("sets a product's detail, hand delivery and warranty from its row; the chat asks for the detail; the order page delivers it by hand; a bad value changes nothing", async () => {
    await step('handling', async () => {
      await h.chat(ADMIN, '.addproduk INVITE|Undangan Keluarga|30000|Undangan ke akun keluarga');
      expect(await handling('INVITE', { form: 'email', manual: true, warranty: '14' })).toBe(dash.handling.saved('INVITE'));
      expect(await product('INVITE')).toEqual({ form: 'email', manual: true, warranty_days: 14 });
      expect(await page.locator('[data-product="INVITE"]').textContent()).toContain('garansi 14 hari');
      // The buyer must give the e-mail; nothing is charged without it.
      const b = buyer();
      await h.chat(ADMIN, `.addsaldo ${b} 50000`);
      await h.chat(b, '.buy INVITE');
      expect(await h.last(b)).toBe(said('DETAIL_REQUIRED', { code: 'INVITE', form: 'email' }));
      await h.chat(b, '.buy INVITE bukan-email');
      expect(await h.last(b)).toBe(said('BAD_DETAIL', { code: 'INVITE', form: 'email' }));
      await h.chat(b, '.buy INVITE pembeli@contoh.com');
      const ref = orderIdIn(await h.last(b));
      expect(await h.last(b)).toBe(id.manualPaid((await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!));
      // The overview says it waits; its page shows the detail and delivers it by hand.
      await page.goto(`${h.url}/admin`);
      expect(await page.locator('[data-attention]').textContent()).toMatch(new RegExp(`${ref}.*pembeli@contoh\\.com`));
      await page.locator('[data-attention] a', { hasText: ref }).click();
      expect(await page.locator('[data-detail]').textContent()).toBe('pembeli@contoh.com');
      await page.fill('[data-by-hand] textarea[name=text]', 'Undangan: https://contoh.com/undang/abc');
      await submit(page.locator('[data-by-hand] button'));
      expect(await page.locator('.ok').textContent()).toBe(dash.handling.delivered(ref));
      await h.kedai.settle();
      expect((await h.sentTo(b)).some((t) => t.includes('https://contoh.com/undang/abc'))).toBe(true);
      expect(await h.one('SELECT status, hand_message FROM orders WHERE public_id = $1', [ref])).toEqual({ status: 'delivered', hand_message: 'Undangan: https://contoh.com/undang/abc' });
      expect(await page.locator('[data-by-hand] pre').textContent()).toBe('Undangan: https://contoh.com/undang/abc');
      expect(await page.locator('[data-by-hand] form').count()).toBe(0);
      // A warranty that is not a number of days: refused, nothing changed.
      expect(await handling('INVITE', { form: '', manual: false, warranty: 'sebulan' })).toMatch(/setgaransi/);
      expect(await product('INVITE')).toEqual({ form: 'email', manual: true, warranty_days: 14 });
      // Back to an ordinary product.
      await handling('INVITE', { form: '', manual: false, warranty: '0' });
      expect(await product('INVITE')).toEqual({ form: null, manual: false, warranty_days: 0 });
    });
  });

  it('answers warranty claims on the Klaim page: replace gives the next item to the buyer, reject tells them why; the claim leaves the page', async () => {
    await step('claims', async () => {
      await stockProduct(h, 'WARR', 10_000, ['warr-1', 'warr-2', 'warr-3']);
      await handling('WARR', { warranty: '7' });
      const claimFor = async () => {
        const b = buyer();
        await h.chat(ADMIN, `.addsaldo ${b} 10000`);
        await h.chat(b, '.buy WARR');
        const ref = orderIdIn(await h.last(b));
        await h.chat(b, `.klaim ${ref} akun tidak bisa masuk`);
        expect(await h.last(b)).toBe(id.claimOpened(ref));
        return { b, ref };
      };
      const first = await claimFor();
      const second = await claimFor();
      await page.goto(`${h.url}/admin`);
      expect(await page.locator('[data-attention]').textContent()).toContain(first.ref);
      await page.goto(`${h.url}/admin/claims`);
      const rowOf = (ref: string) => page.locator('[data-claims] tr', { hasText: ref });
      expect(await rowOf(first.ref).textContent()).toContain('akun tidak bisa masuk');
      await submit(rowOf(first.ref).locator('button', { hasText: 'Ganti' }));
      expect(await page.locator('.ok').textContent()).toContain(first.ref);
      await h.kedai.settle();
      expect((await h.sentTo(first.b)).some((t) => t.includes('warr-3'))).toBe(true);
      await rowOf(second.ref).locator('input[name=reason]').fill('garansi tidak mencakup lupa kata sandi');
      await submit(rowOf(second.ref).locator('button', { hasText: 'Tolak' }));
      await h.kedai.settle();
      expect(await h.last(second.b)).toBe(id.claimRejected(second.ref, 'garansi tidak mencakup lupa kata sandi'));
      expect(await page.locator('[data-claims]').count()).toBe(0);
      // The product is sold out now: a third claim waits, and "replace" says there is no stock.
      const b = buyer();
      await h.chat(ADMIN, '.addstok WARR\nwarr-4');
      await h.chat(ADMIN, `.addsaldo ${b} 10000`);
      await h.chat(b, '.buy WARR');
      const ref = orderIdIn(await h.last(b));
      await h.chat(b, `.klaim ${ref} rusak`);
      await page.goto(`${h.url}/admin/claims`);
      await submit(rowOf(ref).locator('button', { hasText: 'Ganti' }));
      expect(await page.locator('.err').textContent()).toContain('WARR');
      expect(await rowOf(ref).count()).toBe(1);
    });
  });

  it('shows referrers, referred buyers and commissions, and the products buyers wait for; stock added on the dashboard tells them', async () => {
    await step('selling', async () => {
      await stockProduct(h, 'REFP', 20_000, ['refp-1']);
      const [a, b, c] = [buyer(), buyer(), buyer()];
      await h.chat(a, '.referral');
      const code = /\*([A-Z0-9]{6,12})\*/.exec(await h.last(a))![1]!;
      await h.chat(b, `.ref ${code}`);
      await h.chat(ADMIN, `.addsaldo ${b} 20000`);
      await h.chat(b, '.buy REFP');
      const ref = orderIdIn(await h.last(b));
      await settleCommissions(h.kedai.deps);
      // REFP is sold out: a third buyer asks to be told.
      await h.chat(c, '.notify REFP');
      await page.goto(`${h.url}/admin/selling`);
      const referrer = page.locator('[data-referrers] tr', { hasText: a });
      expect(await referrer.textContent()).toContain(code);
      expect(await referrer.textContent()).toContain('Rp2.000');
      expect(await page.locator('[data-joined] tr', { hasText: b }).textContent()).toContain(a);
      expect(await page.locator('[data-commissions] tr', { hasText: ref }).textContent()).toContain('Rp2.000 (10%)');
      expect(await page.locator('[data-waiting] tr', { hasText: 'REFP' }).textContent()).toContain('1');
      // Stock added through the dashboard's form tells the waiting buyer once.
      await page.goto(`${h.url}/admin/stock?code=REFP`);
      await page.fill('textarea[name=items]', 'refp-2');
      await submit(page.locator('button:has-text("Tambah")'));
      await h.kedai.settle();
      expect((await h.sentTo(c)).filter((t) => t === id.backInStock('REFP', 'Produk REFP'))).toHaveLength(1);
      await page.goto(`${h.url}/admin/selling`);
      expect(await page.locator('[data-waiting]').count()).toBe(0);
      expect(await page.locator('[data-restock]').textContent()).toMatch(/1 terkirim/);
    });
  });
});
