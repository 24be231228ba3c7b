import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, adminSession, orderIdIn, type Harness } from './helpers.js';
import { topupKit, topupStore } from './topup-kit.js';

/**
 * Issue #32, a backup supplier: `.setsku XL10 xld10 vip:XLPULSA10`. A definite failure at the
 * first supplier's first call sends the order to the backup once, under its own reference,
 * when the backup's cost as sold is within the price; never after an unknown or pending answer.
 */
describe('a backup supplier', () => {
  const TOKEN = 'backup-test-admin-token-0123456789';
  const store = topupStore(() => ({ DIGIFLAZZ_TIMEOUT_MS: '700', ADMIN_TOKEN: TOKEN }), { vip: true });
  const { until, balance, topup, funded, syncNow } = topupKit(() => store, '628715000');
  let h: Harness;
  const vipOrders = () => store.vip!.sandbox.orders;
  const attempts = (ref: string) =>
    h.db.query<{ attempt: number; supplier: string; ref_id: string; status: string }>('SELECT so.attempt, so.supplier, so.ref_id, so.status FROM supplier_orders so JOIN orders o ON o.id = so.order_id WHERE o.public_id = $1 ORDER BY attempt', [ref]);

  beforeAll(async () => {
    h = store.h;
    store.vip!.sandbox.settleMs = 50;
    await h.chat(ADMIN, '.addproduk XL10|Pulsa XL 10rb|12000|Nomor HP XL|Top-up');
    await h.chat(ADMIN, '.setsku XL10 xld10 vip:XLPULSA10');
  });

  it('.setsku names the backup; a Gagal at Digiflazz on the first call goes to VIP-Reseller once, with its own reference, and is delivered; no refund', async () => {
    expect(await h.last(ADMIN)).toContain('vip:XLPULSA10');
    const b = await funded();
    const before = vipOrders().length;
    store.fake.sandbox.answerNext = [{ status: 'Gagal', rc: '55', message: 'Produk Sedang Gangguan' }];
    await h.chat(b, '.buy XL10 087812341111');
    const ref = orderIdIn((await h.sentTo(b)).find((t) => /KD-/.test(t))!);
    await until(async () => (await topup(ref)).status === 'delivered', 'delivered by the backup');
    expect(vipOrders().length - before).toBe(1);
    expect(vipOrders().at(-1)!.data).toBe('087812341111');
    expect(await attempts(ref)).toEqual([
      { attempt: 1, supplier: 'digiflazz', ref_id: ref, status: 'failed' },
      { attempt: 2, supplier: 'vipreseller', ref_id: `${ref}-2`, status: 'success' },
    ]);
    expect(Number((await topup(ref)).refunds)).toBe(0);
    expect(await balance(b)).toBe(100_000 - 12_000);
    expect(await h.last(b)).toContain(vipOrders().at(-1)!.note.replace(/^SN:/, ''));
  });

  it('an unknown answer (a timeout) never goes to the backup: the same ref_id is asked again and Digiflazz delivers', async () => {
    const b = await funded();
    const before = vipOrders().length;
    store.fake.sandbox.delayMs = 1_200;
    try {
      await h.chat(b, '.buy XL10 087812342222');
      const ref = orderIdIn((await h.sentTo(b)).find((t) => /KD-/.test(t))!);
      await until(async () => (await topup(ref)).supplier === 'unknown', 'the answer lost');
      store.fake.sandbox.delayMs = 0;
      await until(async () => {
        await h.db.query(`UPDATE supplier_orders SET next_check_at = now(), locked_until = NULL WHERE ref_id = $1 AND status IN ('pending', 'unknown')`, [ref]);
        return (await topup(ref)).status === 'delivered';
      }, 'delivered by Digiflazz');
      expect((await attempts(ref)).map((a) => a.supplier)).toEqual(['digiflazz']);
    } finally {
      store.fake.sandbox.delayMs = 0;
    }
    expect(vipOrders().length - before).toBe(0);
  });

  it('a pending answer that later fails is refunded, never sent to the backup', async () => {
    const b = await funded();
    const before = vipOrders().length;
    await h.chat(b, '.buy XL10 087812341234');
    const ref = orderIdIn((await h.sentTo(b)).find((t) => /KD-/.test(t))!);
    await until(async () => (await topup(ref)).status === 'refunded', 'refunded after Pending then Gagal');
    expect(vipOrders().length - before).toBe(0);
    expect(await balance(b)).toBe(100_000);
  });

  it('a backup that cost more than the price when the order was sold is not used: refunded as today', async () => {
    const svc = store.vip!.sandbox.services.find((s) => s.code === 'XLPULSA10')!;
    const was = svc.price.basic;
    svc.price.basic = 12_500;
    try {
      await syncNow();
      const b = await funded();
      const before = vipOrders().length;
      store.fake.sandbox.answerNext = [{ status: 'Gagal', rc: '02', message: 'Transaksi Gagal' }];
      await h.chat(b, '.buy XL10 087812343333');
      const ref = orderIdIn((await h.sentTo(b)).find((t) => /KD-/.test(t))!);
      await until(async () => (await topup(ref)).status === 'refunded', 'refunded');
      expect(vipOrders().length - before).toBe(0);
      expect(await balance(b)).toBe(100_000);
    } finally {
      svc.price.basic = was;
      await syncNow();
    }
  });

  it('the backup failing too is refunded once; the order page shows both attempts', async () => {
    const b = await funded();
    store.fake.sandbox.answerNext = [{ status: 'Gagal', rc: '55', message: 'Produk Sedang Gangguan' }];
    store.vip!.sandbox.refuseNext = 1;
    await h.chat(b, '.buy XL10 087812344444');
    const ref = orderIdIn((await h.sentTo(b)).find((t) => /KD-/.test(t))!);
    await until(async () => (await topup(ref)).status === 'refunded', 'refunded after both failed');
    expect((await attempts(ref)).map((a) => `${a.supplier}:${a.status}`)).toEqual(['digiflazz:failed', 'vipreseller:failed']);
    expect(Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM ledger_entries l JOIN orders o ON o.id = l.order_id WHERE o.public_id = $1 AND l.kind = 'refund'`, [ref])).n)).toBe(1);
    expect(await balance(b)).toBe(100_000);
    const page = await (await adminSession(h, TOKEN))(`/admin/orders/${ref}`);
    expect(page).toContain(`${ref}-2`);
    expect(page).toContain('vip:XLPULSA10');
  });
});
