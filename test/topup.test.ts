import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubSignature } from '../src/adapters/digiflazz/sandbox.js';
import { digiflazzSupplier, readTransaction } from '../src/adapters/digiflazz/client.js';
import { textsFor } from '../src/i18n/index.js';
import { ADMIN, adminSession, concurrentBackend, orderIdIn, said, startKedai, type Harness } from './helpers.js';
import type { startFakeDigiflazz } from './fakes/digiflazz.js';
import type { startFakeMidtrans } from './fakes/midtrans.js';
import { topupFaults, topupKit, topupStore } from './topup-kit.js';

const id = textsFor('id');
const TOKEN = 'topup-test-admin-token-0123456789';

/** Supplier top-ups end to end: the chat, the production Digiflazz adapter, a fake that speaks the protocol, real storage. */
describe(`supplier top-ups (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeDigiflazz>>;
  let midtrans: Awaited<ReturnType<typeof startFakeMidtrans>>;
  const { faults, wrapDb } = topupFaults();
  const { syncNow, until, recheckNow, balance, topup, funded, buyer, callback: signedCallback } = topupKit(() => ({ h, fake }), '628711000');

  const store = topupStore(() => ({ DIGIFLAZZ_TIMEOUT_MS: '700', SUPPLIER_LOW_BALANCE: '1000000', ADMIN_TOKEN: TOKEN }), { wrapDb });
  beforeAll(async () => {
    ({ h, fake, midtrans } = store);
    await h.chat(ADMIN, '.addproduk PULSA|Pulsa XL 10rb|12000|Nomor HP XL|Top-up');
    await h.chat(ADMIN, '.addproduk MLBB|ML 86 Diamond|25000|ID + zone, mis. 12345678(1234)|Top-up');
    // Every test below sells these, whichever runs first or alone (the first test checks .setsku's own answers).
    await h.db.query(`UPDATE products SET supplier_sku = CASE code WHEN 'PULSA' THEN 'xld10' ELSE 'ml86' END WHERE code IN ('PULSA', 'MLBB')`);
    await h.kedai.deps.cache.invalidate(['catalogue']);
  }, 30_000);

  it('the adapter: a wrong key is a definite Gagal (rc 41, the seller\'s cause), an answer about another ref_id is unknown, the seller\'s contacts are dropped', async () => {
    const wrong = digiflazzSupplier({ username: fake.env.DIGIFLAZZ_USERNAME, apiKey: 'dev-not-the-key', url: fake.env.DIGIFLAZZ_URL, testing: true });
    const req = { refId: 'KD-20261130-AAAA0001', sku: 'xld10', customerNo: '087800001230', maxPrice: 20_000 };
    expect(await wrong.order(req)).toMatchObject({ outcome: 'failed', rc: '41' });
    await expect(wrong.priceList()).rejects.toThrow(/rc 41/);
    expect(fake.sandbox.transactions.has(req.refId)).toBe(false);
    expect(readTransaction({ data: { ref_id: 'KD-OTHER', status: 'Gagal', rc: '02' } }, req.refId).outcome).toBe('unknown');
    const ok = readTransaction({ data: { ref_id: req.refId, status: 'Sukses', rc: '00', sn: '123', price: 10_200, buyer_last_saldo: 99, tele: '@x', wa: '0812' } }, req.refId);
    expect(ok).toMatchObject({ outcome: 'success', sn: '123', price: 10_200, balance: 99 });
    expect(JSON.stringify(ok.raw)).not.toMatch(/tele|0812/);
  });

  it('.setsku checks the SKU against the synced price list, and the product is a top-up at once in .produk and .info', async () => {
    await h.chat(ADMIN, '.setsku PULSA nope404');
    expect(await h.last(ADMIN)).toBe(said('UNKNOWN_SKU', { sku: 'nope404' }));
    await h.chat(ADMIN, '.setsku PULSA xld10');
    expect(await h.last(ADMIN)).toBe(id.skuSet({ code: 'PULSA', sku: 'xld10', cost: 10_200 }));
    await h.chat(ADMIN, '.setsku MLBB ml86');
    const b = buyer();
    await h.chat(b, '.produk Top-up');
    expect(await h.last(b)).toMatch(/PULSA — Pulsa XL 10rb — Rp12\.000 — top-up/);
    await h.chat(b, '.info MLBB');
    expect(await h.last(b)).toContain('.buy MLBB TUJUAN');
    // A product with stock cannot become a top-up (its items would never sell).
    await h.chat(ADMIN, '.addproduk STK|Stock thing|5000');
    await h.chat(ADMIN, '.addstok STK\nitem-1');
    await h.chat(ADMIN, '.setsku STK xld10');
    expect(await h.last(ADMIN)).toBe(said('PRODUCT_HAS_STOCK', { code: 'STK', available: 1 }));
    await h.chat(ADMIN, '.supplier');
    const status = await h.last(ADMIN);
    expect(status).toContain(`${fake.sandbox.skus.length + fake.sandbox.pasca.skus.length} SKU`);
    expect(status).toMatch(/Saldo deposit: Rp[\d.]+/);
  });

  it('paid from the balance, Sukses: the SN in the chat with the order id, debited once, delivered', async () => {
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001230');
    const answer = await h.last(b);
    const ref = orderIdIn(answer);
    expect(answer).toContain('SN: ');
    expect(answer).toContain('087800001230');
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    expect(await balance(b)).toBe(100_000 - 12_000);
    // The supplier got ref_id = our order id, once.
    expect(fake.sandbox.transactions.get(ref)?.calls).toBe(1);
  });

  it('Gagal: the money back to the balance once, the buyer told why in plain words', async () => {
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001232');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'refunded', supplier: 'failed' });
    expect(Number((await topup(ref)).refunds)).toBe(1);
    expect(await balance(b)).toBe(100_000);
    expect(await h.last(b)).toContain('dikembalikan ke saldo');
    // A repeated Gagal (the same callback again, a re-check) refunds nothing more.
    const body = JSON.stringify({ data: fake.sandbox.current(ref) });
    expect((await signedCallback(body)).status).toBe(200);
    await h.kedai.settle();
    expect(await balance(b)).toBe(100_000);
  });

  it('Pending then Sukses by callback: the buyer hears it is processing, then gets the SN; a stale Pending after it changes nothing', async () => {
    fake.sandbox.callbacks = 'stale_after';
    const b = await funded();
    await h.chat(b, '.buy MLBB 5566771233');
    const ref = orderIdIn(await h.last(b));
    expect(await h.last(b)).toBe(id.topupProcessing((await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!));
    await until(async () => (await topup(ref)).status === 'delivered', 'the callback to deliver');
    await new Promise((r) => setTimeout(r, 200)); // the stale Pending arrives after the final one
    await h.kedai.settle();
    expect((await h.sentTo(b)).filter((t) => t.includes('SN: '))).toHaveLength(1);
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    fake.sandbox.callbacks = 'once';
  });

  it('Pending then Gagal by callback, delivered twice: refunded exactly once', async () => {
    fake.sandbox.callbacks = 'twice';
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001234');
    const ref = orderIdIn(await h.last(b));
    await until(async () => (await topup(ref)).status === 'refunded', 'the failure callback');
    await new Promise((r) => setTimeout(r, 200));
    await h.kedai.settle();
    expect(Number((await topup(ref)).refunds)).toBe(1);
    expect(await balance(b)).toBe(100_000);
    fake.sandbox.callbacks = 'once';
  });

  it('a product the supplier serves once per number a day (multi:false): a repeat is refused before payment, by any buyer; another number, or one whose top-up failed, sells', async () => {
    const sku = fake.sandbox.skus.find((s) => s.sku === 'xld10')!;
    sku.multi = false;
    await syncNow();
    try {
      // The seller sees the rule on the Top-up page.
      expect(await (await adminSession(h, TOKEN))('/admin/topups')).toContain('sekali per nomor per hari');
      const [first, second, third] = [await funded(), await funded(), await funded()];
      await h.chat(first, '.buy PULSA 087844441230');
      const ref = orderIdIn(await h.last(first));
      await until(async () => (await topup(ref)).status === 'delivered', 'the first top-up');
      const calls = fake.calls.transaction;
      // The same number again, by another buyer: refused with the earlier order named, nothing charged, the supplier not called.
      await h.chat(second, '.buy PULSA 087844441230');
      expect(await h.last(second)).toBe(said('TOPUP_REPEAT', { code: 'PULSA', target: '087844441230', orderId: ref }));
      expect([await balance(second), fake.calls.transaction]).toEqual([100_000, calls]);
      // Another number sells.
      await h.chat(second, '.buy PULSA 087855551230');
      await until(async () => (await topup(orderIdIn(await h.last(second)))).status === 'delivered', 'another number');
      // A top-up that failed (refunded) does not count: the number may be tried again.
      await h.chat(third, '.buy PULSA 087866661232');
      const failed = orderIdIn(await h.last(third));
      await until(async () => (await topup(failed)).status === 'refunded', 'the failure');
      await h.chat(third, '.buy PULSA 087866661232');
      expect(await h.last(third)).not.toContain('sudah dibeli hari ini');
      await until(async () => fake.sandbox.transactions.has(orderIdIn(await h.last(third))), 'the retry at the supplier');
    } finally {
      sku.multi = true;
      await syncNow();
    }
  });

  it('a PLN token: the meter is checked with the supplier before payment; an unknown meter is refused, a check that cannot be made lets the sale go on', async () => {
    const sku = fake.sandbox.skus.find((s) => s.sku === 'pln20')!;
    const cutOff = [sku.start, sku.end];
    [sku.start, sku.end] = ['00:00', '00:00'];
    await syncNow();
    await h.chat(ADMIN, '.addproduk TOKEN20|Token PLN 20rb|22000|Nomor meter / ID pelanggan|Top-up');
    await h.chat(ADMIN, '.setsku TOKEN20 pln20');
    try {
      expect(await (await adminSession(h, TOKEN))('/admin/topups')).toContain('nomor meter dicek ke pemasok sebelum bayar');
      const b = await funded();
      const checks = fake.sandbox.meterChecks;
      const calls = fake.calls.transaction;
      await h.chat(b, '.buy TOKEN20 142345670000');
      expect(await h.last(b)).toBe(said('TOPUP_METER', { code: 'TOKEN20', target: '142345670000', message: 'Nomor Tujuan Salah' }));
      expect([await balance(b), fake.calls.transaction, fake.sandbox.meterChecks]).toEqual([100_000, calls, checks + 1]);
      // Through a payment link too: refused before the link.
      await h.chat(b, '.buynow TOKEN20 142345670000');
      expect(await h.last(b)).toContain('tidak ditemukan');
      expect(await h.db.query(`SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b])).toEqual([]);
      // The check's own limit (rc 86): not known; the buyer is told so and confirms without the name.
      const other = await funded();
      await h.chat(other, '.buy TOKEN20 142345670086');
      expect(await h.last(other)).toContain('tidak bisa dicek');
      expect(await balance(other)).toBe(100_000);
      await h.chat(other, '.ya');
      const limited = orderIdIn(await h.last(other));
      await until(async () => (await topup(limited)).status === 'delivered', 'the token after an unanswered check');
      // A meter the supplier knows: its owner is shown first, nothing charged until .ya.
      const third = await funded();
      const sent = fake.calls.transaction;
      await h.chat(third, '.buy TOKEN20 142345671230');
      expect(await h.last(third)).toContain('🔌 Meter 142345671230 atas nama *PELANGGAN SANDBOX* (R1 /000000900)');
      expect([await balance(third), fake.calls.transaction]).toEqual([100_000, sent]);
      await h.chat(third, '.ya');
      const ref = orderIdIn(await h.last(third));
      await until(async () => (await topup(ref)).status === 'delivered', 'the token');
      expect(await balance(third)).toBe(100_000 - 22_000);
      expect(fake.sandbox.meterChecks).toBe(checks + 4);
      // Through a payment link: the owner first, the link only after .ya; .batal then cancels the order.
      const linked = buyer();
      await h.chat(linked, '.buynow TOKEN20 142345671230');
      expect(await h.last(linked)).toContain('atas nama');
      await h.chat(linked, '.ya');
      expect(orderIdIn(await h.last(linked))).toMatch(/^KD-/);
      await h.chat(linked, '.batal');
      // Not a PLN product: no meter check.
      await h.chat(third, '.buy PULSA 087877771230');
      expect(fake.sandbox.meterChecks).toBe(checks + 5);
    } finally {
      [sku.start, sku.end] = cutOff as [string, string];
      await h.chat(ADMIN, '.setsku TOKEN20 -');
      await syncNow();
    }
  });

  it('a game ID with its zone, as ID(ZONE) or as two words, goes to the supplier as one customer_no', async () => {
    const b = await funded();
    await h.chat(b, '.buy MLBB 12345678(1230)');
    const ref1 = orderIdIn(await h.last(b));
    await h.chat(b, '.buy MLBB 12345678 1230');
    const ref2 = orderIdIn(await h.last(b));
    expect(fake.sandbox.transactions.get(ref1)?.customerNo).toBe('123456781230');
    expect(fake.sandbox.transactions.get(ref2)?.customerNo).toBe('123456781230');
    // The buyer reads it as they wrote it, the zone apart.
    expect(await h.last(b)).toContain('12345678 (1230)');
    expect(await h.last(b)).not.toContain('123456781230');
  });

  it('a destination that cannot be one for the product is refused before any payment, saying why; the payment link names the destination', async () => {
    const b = await funded(1_000);
    for (const [text, wrote] of [['.buy PULSA 0878', '0878'], ['.buy PULSA 0211234567', '0211234567'], ['.buy PULSA 08001234567', '08001234567'], ['.buy PULSA 087800001230 12', '087800001230 (12)']] as const) {
      await h.chat(b, text);
      const answer = await h.last(b);
      expect(answer).toContain(`${wrote} bukan nomor HP yang valid`);
      expect(answer).toContain('Tidak ada yang ditagih');
    }
    expect((await h.one<{ n: unknown }>(`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b])).n).toBe(0);
    // A number written as 62… goes to the supplier as 08…; the link (the balance is too small) shows where it goes.
    await h.chat(b, '.buy PULSA 6287800001230');
    const link = await h.last(b);
    expect(link).toContain('Tujuan: *087800001230*');
    expect(link).toContain('Bayar di sini');
    await h.chat(b, '.batal');
  });

  it('a missing or malformed TUJUAN gets the product usage, and nothing is charged', async () => {
    const b = await funded();
    for (const text of ['.buy PULSA', '.buy PULSA 0878-abc', '.buy PULSA 12', '.buy MLBB 12345678(12a)']) {
      await h.chat(b, text);
      expect(await h.last(b)).toContain('TUJUAN');
    }
    expect(await balance(b)).toBe(100_000);
    expect((await h.one<{ n: unknown }>(`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b])).n).toBe(0);
  });

  it('.topup buys top-ups and only top-ups: alone it says how (never the deposit), a stock product is refused, nothing charged', async () => {
    const b = await funded();
    await h.chat(ADMIN, '.addproduk AKUNX|Akun stok|5000');
    await h.chat(ADMIN, '.addstok AKUNX\nAKUNX-1');
    for (const text of ['.topup', '.topup AKUNX', '.topup AKUNX 1']) {
      await h.chat(b, text);
      expect(await h.last(b)).toBe(said('INVALID_INPUT', { command: 'topup' }));
    }
    expect(said('INVALID_INPUT', { command: 'topup' })).not.toBe(said('INVALID_INPUT', { command: 'deposit' }));
    expect(await balance(b)).toBe(100_000);
    await h.chat(b, '.topup PULSA 087800001230');
    const answer = await h.last(b);
    expect(answer).toContain('SN: ');
    expect(await topup(orderIdIn(answer))).toMatchObject({ status: 'delivered', supplier: 'success' });
    expect(await balance(b)).toBe(100_000 - 12_000);
    // The deposit keeps its own names.
    await h.chat(b, '.isisaldo 20000');
    expect(await h.last(b)).toContain('Deposit');
  });

  it('paid through Midtrans (.buynow): handed to the supplier in the payment transaction, the SN follows', async () => {
    const b = buyer();
    await h.chat(b, '.buynow PULSA 087800001230');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'pending', supplier: null });
    expect(await midtrans.sandbox.setStatus(ref, 'settlement', true)).toBe(200);
    await until(async () => (await topup(ref)).status === 'delivered', 'the settlement to reach the supplier');
    expect((await h.sentTo(b)).some((t) => t.includes('SN: ') && t.includes(ref))).toBe(true);
  });

  it('the supplier unreachable: unknown, never refunded; the re-check with the same ref_id delivers', async () => {
    const b = await funded();
    fake.setDown(true);
    await h.chat(b, '.buy PULSA 087800001230');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'unknown', refunds: expect.anything() });
    expect(Number((await topup(ref)).refunds)).toBe(0);
    // Not asked again before a minute has passed.
    const next = await h.one<{ wait: unknown }>(`SELECT extract(epoch FROM next_check_at - now()) AS wait FROM supplier_orders WHERE ref_id = $1`, [ref]);
    expect(Number(next.wait)).toBeGreaterThan(50);
    fake.setDown(false);
    await recheckNow();
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    expect(fake.sandbox.transactions.get(ref)?.calls).toBe(1);
  });

  it('a 5xx with an HTML body is unknown too, not failed', async () => {
    const b = await funded();
    fake.sandbox.failNext = 1;
    await h.chat(b, '.buy PULSA 087800001230');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'unknown' });
    await recheckNow();
    expect(await topup(ref)).toMatchObject({ status: 'delivered' });
  });

  it('slow (answers after the client gave up): the transaction exists, the re-check finds it: one supplier order, one SN', async () => {
    const b = await funded();
    fake.sandbox.delayMs = 1_200;
    await h.chat(b, '.buy PULSA 087800001230');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'unknown' });
    fake.sandbox.delayMs = 0;
    await recheckNow();
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    expect(fake.sandbox.transactions.get(ref)?.calls).toBe(2); // the order and one status check
    expect((await h.sentTo(b)).filter((t) => t.includes('SN: '))).toHaveLength(1);
  });

  it('pending and never called back: re-checks settle it', async () => {
    fake.sandbox.callbacks = 'drop';
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001233');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
    await new Promise((r) => setTimeout(r, 150)); // settled at the supplier, the callback lost
    await recheckNow();
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    fake.sandbox.callbacks = 'once';
  });

  it("killed between the supplier's Sukses and the SN message: the answer is asked again after the lease, the SN sent once", async () => {
    const b = await funded();
    faults.failRecords = 1;
    await h.chat(b, '.buy PULSA 087800001230');
    const ref = (await h.one<{ public_id: string }>(`SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.target IS NOT NULL`, [b])).public_id;
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'queued' });
    await h.db.query(`UPDATE supplier_orders SET locked_until = now() - interval '1 second' WHERE ref_id = $1`, [ref]);
    await h.kedai.settle();
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    expect((await h.sentTo(b)).filter((t) => t.includes('SN: '))).toHaveLength(1);
    expect(fake.sandbox.transactions.get(ref)?.calls).toBe(2);
  });

  it('the supplier raised its price past max_price: the order fails and is refunded, the admins are told; the sync warns of the rise', async () => {
    const b = await funded();
    const sku = fake.sandbox.skus.find((s) => s.sku === 'xld10')!;
    sku.price = 12_500; // above the synced cost (max_price) and the selling price
    const adminBefore = (await h.sentTo(ADMIN)).length;
    await h.chat(b, '.buy PULSA 087800001230');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'refunded', supplier: 'failed' });
    expect(await balance(b)).toBe(100_000);
    await syncNow();
    const told = (await h.sentTo(ADMIN)).slice(adminBefore).join('\n');
    expect(told).toContain('rc 69');
    expect(told).toContain(id.adminCostRisen('PULSA', 'Pulsa XL 10rb', 12_500, 12_000));
    // Until the seller raises the price, it is not sold at a loss: refused before any payment.
    await h.chat(b, '.buy PULSA 087800001230');
    expect(await h.last(b)).toBe(said('TOPUP_UNAVAILABLE', { code: 'PULSA', why: 'price' }));
    await h.chat(b, '.produk Top-up');
    expect(await h.last(b)).toMatch(/PULSA — .* — tidak tersedia/);
    expect(await balance(b)).toBe(100_000);
    sku.price = 10_200;
    await syncNow();
  });

  it('unavailable at the supplier or in its cut-off window: shown in .produk and refused before any payment', async () => {
    const b = await funded();
    const sku = fake.sandbox.skus.find((s) => s.sku === 'ml86')!;
    sku.active = false;
    await syncNow();
    await h.chat(b, '.produk Top-up');
    expect(await h.last(b)).toMatch(/MLBB — .* — tidak tersedia/);
    await h.chat(b, '.buy MLBB 12345678 1234');
    expect(await h.last(b)).toBe(said('TOPUP_UNAVAILABLE', { code: 'MLBB', why: 'unavailable' }));
    sku.active = true;
    // A cut-off window around now (WIB).
    const wib = new Date(Date.now() + 7 * 3_600_000);
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    sku.start = hhmm(new Date(wib.getTime() - 30 * 60_000));
    sku.end = hhmm(new Date(wib.getTime() + 30 * 60_000));
    await syncNow();
    await h.chat(b, '.buynow MLBB 12345678 1234');
    expect(await h.last(b)).toBe(said('TOPUP_UNAVAILABLE', { code: 'MLBB', why: 'cut_off' }));
    sku.start = '00:00';
    sku.end = '00:00';
    await syncNow();
    expect(await balance(b)).toBe(100_000);
  });

  it('role prices and vouchers apply to top-ups', async () => {
    const b = await funded();
    await h.chat(ADMIN, `.setrole ${b} reseller`);
    await h.chat(ADMIN, '.setharga PULSA 11000 reseller');
    await h.chat(ADMIN, '.addvoucher TOPUP5 5%');
    await h.chat(b, '.buy PULSA 087800001230 TOPUP5');
    const ref = orderIdIn(await h.last(b));
    expect(await topup(ref)).toMatchObject({ status: 'delivered' });
    expect(await balance(b)).toBe(100_000 - 10_450);
  });

  it('a forged or unsigned callback is refused and changes nothing; a repeated one is stored once', async () => {
    fake.sandbox.callbacks = 'drop';
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001233');
    const ref = orderIdIn(await h.last(b));
    const forged = JSON.stringify({ data: { ref_id: ref, customer_no: '087800001233', buyer_sku_code: 'xld10', status: 'Gagal', rc: '02', message: 'Transaksi Gagal', sn: '' } });
    expect((await signedCallback(forged, hubSignature('not-the-secret', forged))).status).toBe(401);
    expect((await signedCallback(forged, '')).status).toBe(401);
    // Signed over other bytes than were sent (re-serialised JSON) does not pass either.
    expect((await signedCallback(forged, hubSignature(fake.sandbox.webhookSecret, JSON.stringify(JSON.parse(forged), null, 1)))).status).toBe(401);
    await h.kedai.settle();
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
    await new Promise((r) => setTimeout(r, 150));
    const genuine = JSON.stringify({ data: fake.sandbox.current(ref) });
    expect((await signedCallback(genuine)).body?.stored).toBe(true);
    expect((await signedCallback(genuine)).body?.stored).toBe(false);
    await h.kedai.settle();
    expect(await topup(ref)).toMatchObject({ status: 'delivered' });
    fake.sandbox.callbacks = 'once';
  });

  it('a callback the database cannot store gets 503 (Digiflazz sends it again), and is applied when it comes again', async () => {
    fake.sandbox.callbacks = 'drop';
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001233');
    const ref = orderIdIn(await h.last(b));
    await new Promise((r) => setTimeout(r, 150));
    const body = JSON.stringify({ data: fake.sandbox.current(ref) });
    faults.failEvents = true;
    expect((await signedCallback(body)).status).toBe(503);
    faults.failEvents = false;
    await h.kedai.settle();
    expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
    expect((await signedCallback(body)).status).toBe(200);
    await h.kedai.settle();
    expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
    fake.sandbox.callbacks = 'once';
  });

  it('the price list at most once per 5 minutes: rc 83 keeps the synced list and is reported in .supplier', async () => {
    fake.sandbox.priceListEveryMs = 60_000;
    const calls = fake.calls.priceList;
    await syncNow(); // allowed
    await syncNow(); // rc 83 from the supplier
    expect(fake.calls.priceList).toBe(calls + 2);
    // kedai itself waits 5 minutes after that: a sync that is not due does not call.
    h.kedai.supplier.sync.kick();
    await h.kedai.supplier.sync.idle();
    expect(fake.calls.priceList).toBe(calls + 2);
    await h.chat(ADMIN, '.supplier');
    expect(await h.last(ADMIN)).toContain('rc 83');
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001230');
    expect(await topup(orderIdIn(await h.last(b)))).toMatchObject({ status: 'delivered' });
    fake.sandbox.priceListEveryMs = 0;
    await syncNow();
  });

  it('a day without a final answer: the admins hear of it once', async () => {
    fake.sandbox.callbacks = 'drop';
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001233');
    const ref = orderIdIn(await h.last(b));
    await h.db.query(`UPDATE supplier_orders SET created_at = now() - interval '25 hours' WHERE ref_id = $1`, [ref]);
    const before = (await h.sentTo(ADMIN)).length;
    await syncNow();
    await syncNow();
    const told = (await h.sentTo(ADMIN)).slice(before).filter((t) => t.includes(ref));
    expect(told).toHaveLength(1);
    fake.sandbox.callbacks = 'once';
    await new Promise((r) => setTimeout(r, 150));
    await recheckNow();
  });

  it('the dashboard shows the SKU of each top-up and the supplier orders with their status, SN and reply; /metrics counts calls by outcome', async () => {
    const b = await funded();
    // One refund and one unknown answer of its own, for the counters below.
    await h.chat(b, '.buy PULSA 087800001232');
    fake.sandbox.failNext = 1;
    await h.chat(b, '.buy PULSA 087800001230');
    await recheckNow();
    await h.chat(b, '.buy PULSA 087800001230');
    const ref = orderIdIn(await h.last(b));
    const sn = (await topup(ref)).sn!;
    const get = await adminSession(h, TOKEN);
    const page = await get('/admin/topups');
    expect(page).toContain('xld10');
    expect(page).toMatch(new RegExp(`data-supplier-order="${ref}"[\\s\\S]*?sukses[\\s\\S]*?${sn}[\\s\\S]*?Transaksi Sukses`));
    expect(page).toMatch(/data-supplier-balance>Rp[\d.]+/);
    const order = await get(`/admin/orders/${ref}`);
    expect(order).toContain('087800001230');
    expect(order).toContain(sn);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/kedai_supplier_call_seconds_count\{outcome="success"\} [1-9]/);
    expect(metrics).toMatch(/kedai_supplier_call_seconds_count\{outcome="unknown"\} [1-9]/);
    expect(metrics).toMatch(/kedai_topups_total\{result="refunded"\} [1-9]/);
    expect(metrics).toMatch(/kedai_topups_pending \d+/);
    // A paid top-up still with the supplier is not refunded by hand before the 24-hour alert.
    fake.sandbox.callbacks = 'drop';
    await h.chat(b, '.buy PULSA 087800001233');
    const open = orderIdIn(await h.last(b));
    await expect(refund(open)).resolves.toBe(said('TOPUP_OPEN', { orderId: open }));
    expect(await topup(open)).toMatchObject({ status: 'paid', supplier: 'pending' });
    fake.sandbox.callbacks = 'once';
    await new Promise((r) => setTimeout(r, 150));
    await recheckNow();
  });

  /** Sends a dashboard form as a logged-in seller (its CSRF token read from `page`); the message it answers with. */
  async function dashboardPost(page: string, action: string, fields: Record<string, string> = {}): Promise<string> {
    const login = await fetch(`${h.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const html = await (await fetch(`${h.url}${page}`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const res = await fetch(`${h.url}${action}`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, ...fields }), redirect: 'manual' });
    const to = new URL(res.headers.get('location')!, h.url);
    return to.searchParams.get('err') ?? to.searchParams.get('ok') ?? '';
  }
  /** The dashboard's "refund to balance" for an order. */
  const refund = (ref: string) => dashboardPost(`/admin/orders/${ref}`, `/admin/orders/${ref}/refund`);

  it('the overview shows the profit of the top-ups sold in 30 days, from what the supplier charged', async () => {
    const b = await funded();
    await h.chat(b, '.buy PULSA 087800001230');
    expect(await h.last(b)).toContain('SN: ');
    const get = await adminSession(h, TOKEN);
    const { profit, costed } = await h.one<{ profit: string; costed: string }>(
      `SELECT sum(o.total - coalesce(so.price, o.supplier_cost))::text AS profit, sum(o.total)::text AS costed
         FROM orders o JOIN supplier_orders so ON so.order_id = o.id WHERE o.status IN ('paid', 'delivered') AND o.paid_at > now() - interval '30 days'`,
    );
    expect(Number(costed)).toBeGreaterThan(0);
    const home = await get('/admin');
    const card = /data-profit>([^<]*)<b>([^<]*)<\/b><small>([^<]*)</.exec(home)!;
    expect(card[2]).toBe(`Rp${Number(profit).toLocaleString('id-ID')}`);
    expect(card[3]).toContain(`Rp${Number(costed).toLocaleString('id-ID')}`);
    // The Reports page: each period's profit, and a profit column for the top products.
    const reports = await get('/admin/reports');
    expect(reports).toMatch(/data-profit-of="PULSA">Rp[\d.]+</);
  });

  it('the Top-up page sets a SKU like .setsku: an unknown SKU is refused with the reason and changes nothing; a known one makes the product a top-up', async () => {
    await h.chat(ADMIN, '.addproduk XLWEB|XL dari dasbor|13000|Nomor HP XL|Top-up');
    const refused = await dashboardPost('/admin/topups', '/admin/topups/sku', { code: 'xlweb', sku: 'tidak-ada-sku' });
    expect(refused).toContain('tidak-ada-sku');
    expect(await h.one(`SELECT supplier_sku FROM products WHERE code = 'XLWEB'`)).toEqual({ supplier_sku: null });
    const set = await dashboardPost('/admin/topups', '/admin/topups/sku', { code: ' xlweb ', sku: 'xld10' });
    expect(set).toContain('XLWEB');
    expect(await h.one(`SELECT supplier_sku FROM products WHERE code = 'XLWEB'`)).toEqual({ supplier_sku: 'xld10' });
    const b = await funded();
    await h.chat(b, '.buy XLWEB 087899991230');
    await until(async () => (await topup(orderIdIn(await h.last(b)))).status === 'delivered', 'the top-up set from the dashboard');
  });

  it('the deposit below SUPPLIER_LOW_BALANCE alerts the admins once, and shows in /metrics, never in the public probes', async () => {
    fake.sandbox.deposit = 500_000;
    const before = (await h.sentTo(ADMIN)).length;
    await syncNow();
    await syncNow();
    const told = (await h.sentTo(ADMIN)).slice(before).filter((t) => t.includes('deposit'));
    expect(told).toHaveLength(1);
    expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(/kedai_supplier_deposit_rupiah 500000\b/);
    const probes = (await (await fetch(`${h.url}/readyz`)).text()) + (await (await fetch(`${h.url}/healthz`)).text());
    expect(probes).not.toMatch(/500000|deposit|supplier|balance|pending/i);
    fake.sandbox.deposit = 5_000_000;
    await syncNow();
  });
});

describe('top-ups without a supplier configured (a real database, no DIGIFLAZZ key)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(concurrentBackend);
    await h.db.query(`INSERT INTO products (code, name, price, supplier_sku) VALUES ('PULSA', 'Pulsa', 12000, 'xld10')`);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a top-up product cannot be sold: a clear reply, nothing charged, no sandbox', async () => {
    const b = '6287122220001';
    await h.chat(ADMIN, `.addsaldo ${b} 50000`);
    await h.chat(b, '.buy PULSA 087800001230');
    expect(await h.last(b)).toBe(said('TOPUP_UNAVAILABLE', { code: 'PULSA', why: 'no_supplier' }));
    expect(h.kedai.supplier.sandbox).toBeNull();
    // No secret to verify callbacks with: every callback is refused, signed or not.
    const body = JSON.stringify({ data: { ref_id: 'KD-20261130-00000000', status: 'Sukses', rc: '00', sn: '1' } });
    const res = await fetch(`${h.url}/webhooks/digiflazz`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': hubSignature('', body) }, body });
    expect(res.status).toBe(403);
    expect(Number((await h.one<{ balance: unknown }>('SELECT balance FROM users WHERE wa_id = $1', [b])).balance)).toBe(50_000);
  });
});
