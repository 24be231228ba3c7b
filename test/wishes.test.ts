import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textsFor } from '../src/i18n/index.js';
import { ADMIN, cliIn, concurrentBackend, postgres, said, startKedai, stockProduct, type Harness } from './helpers.js';
import { topupKit, topupStore } from './topup-kit.js';

const id = textsFor('id');

/**
 * Issue #33, back in stock: `.notify CODE` on a sold-out product records the wish; stock
 * added by chat or by the CLI tells each buyer who asked once, through the outbox, and the
 * wish is used up. Through the chat, on a real database.
 */
describe('back in stock', () => {
  let h: Harness;
  let target: Awaited<ReturnType<typeof postgres.open>>;
  let n = 0;
  const buyer = () => `62871700${String(++n).padStart(4, '0')}`;
  const heard = async (b: string, code: string) => (await h.sentTo(b)).filter((t) => t === id.backInStock(code, `Produk ${code}`)).length;

  beforeAll(async () => {
    target = await postgres.open();
    h = await startKedai(concurrentBackend, {}, { sameDb: target.db });
    await stockProduct(h, 'WISH1', 10_000, ['only-one']);
  });
  afterAll(async () => {
    await h?.kedai.stop();
    await target?.drop();
  });

  it('a sold-out product: .notify records the wish (nothing else changes), .notify lists it; on sale or unknown is a clear refusal', async () => {
    const [first, b] = [buyer(), buyer()];
    await h.chat(ADMIN, `.addsaldo ${first} 10000`);
    await h.chat(b, '.notify WISH1');
    expect(await h.last(b)).toBe(said('IN_STOCK', { code: 'WISH1' }));
    await h.chat(first, '.buy WISH1');
    await h.chat(b, '.notify wish1');
    expect(await h.last(b)).toBe(id.wishAdded('WISH1', 'Produk WISH1', 30));
    await h.chat(b, '.notify');
    expect(await h.last(b)).toContain('• WISH1 — Produk WISH1');
    await h.chat(b, '.notify NOSUCH');
    expect(await h.last(b)).toBe(said('UNKNOWN_PRODUCT', { code: 'NOSUCH' }));
    await h.chat(b, '.notify WISH1 please now');
    expect(await h.last(b)).toContain('notify');
  });

  it('stock added in the chat tells every buyer who asked, once; the wish is used up; one who dropped it hears nothing', async () => {
    await h.chat(ADMIN, '.addproduk WISH2|Produk WISH2|5000|x');
    const [a, c, dropped] = [buyer(), buyer(), buyer()];
    for (const b of [a, c, dropped]) await h.chat(b, '.notify WISH2');
    await h.chat(dropped, '.notify WISH2 off');
    expect(await h.last(dropped)).toBe(id.wishDropped('WISH2', true));
    await h.chat(ADMIN, '.addstok WISH2\nx-1\nx-2');
    expect([await heard(a, 'WISH2'), await heard(c, 'WISH2'), await heard(dropped, 'WISH2')]).toEqual([1, 1, 0]);
    await h.chat(ADMIN, '.addstok WISH2\nx-3');
    expect([await heard(a, 'WISH2'), await heard(c, 'WISH2')]).toEqual([1, 1]);
    await h.chat(a, '.notify');
    expect(await h.last(a)).toBe(id.wishList([], '.'));
  });

  it('stock imported with the CLI tells them too; an expired wish is not told', async () => {
    await h.chat(ADMIN, '.addproduk WISH3|Produk WISH3|7000|x');
    const [b, late] = [buyer(), buyer()];
    await h.chat(b, '.notify WISH3');
    await h.chat(late, '.notify WISH3');
    await h.db.query(`UPDATE stock_wishes SET expires_at = now() - interval '1 second' WHERE wa_id = $1`, [late]);
    const file = join(mkdtempSync(join(tmpdir(), 'kedai-wish-')), 'items.txt');
    writeFileSync(file, 'k-1\nk-2\n');
    expect((await cliIn({ DATABASE_URL: target.url!, REDIS_URL: process.env.REDIS_URL ?? '' }, ['stock', 'import', 'WISH3', file])).code).toBe(0);
    await h.kedai.settle();
    for (let i = 0; i < 40 && (await heard(b, 'WISH3')) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect([await heard(b, 'WISH3'), await heard(late, 'WISH3')]).toEqual([1, 0]);
  });

  it('at most 20 wishes a buyer', async () => {
    const b = buyer();
    for (let i = 0; i < 21; i++) await h.chat(ADMIN, `.addproduk MANY${i}|Produk MANY${i}|1000|x`);
    for (let i = 0; i < 20; i++) await h.chat(b, `.notify MANY${i}`);
    await h.chat(b, '.notify MANY20');
    expect(await h.last(b)).toBe(said('TOO_MANY_WISHES', { max: 20 }));
  });
});

describe('back in stock: a top-up', () => {
  const store = topupStore(() => ({}));
  const { syncNow } = topupKit(() => store, '628718000');

  it('a top-up that cannot be sold now: .notify waits for it, and the buyer hears once when the price list makes it sellable', async () => {
    const h = store.h;
    await h.chat(ADMIN, '.addproduk WPULSA|Pulsa XL 10rb|12000|x|Top-up');
    await h.chat(ADMIN, '.setsku WPULSA xld10');
    const sku = store.fake.sandbox.skus.find((s) => s.sku === 'xld10')!;
    sku.active = false;
    await syncNow();
    const b = '628718009999';
    await h.chat(b, '.notify WPULSA');
    expect(await h.last(b)).toBe(id.wishAdded('WPULSA', 'Pulsa XL 10rb', 30));
    sku.active = true;
    await syncNow();
    await syncNow();
    expect((await h.sentTo(b)).filter((t) => t === id.backInStock('WPULSA', 'Pulsa XL 10rb'))).toHaveLength(1);
  });
});
