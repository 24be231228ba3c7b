import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { textsFor } from '../src/i18n/index.js';
import { ADMIN, concurrentBackend, freePort, orderIdIn, said, startKedai, type Harness } from './helpers.js';
import { startFakeDigiflazz } from './fakes/digiflazz.js';
import type { startFakeMidtrans } from './fakes/midtrans.js';
import { topupFaults, topupKit, topupStore, type FakeDigiflazz } from './topup-kit.js';

const id = textsFor('id');

/**
 * Issue #27: top-ups never lose the seller money. Each rule through the chat, the
 * production Digiflazz adapter against a fake that answers as the real one does
 * (refused re-checks, Sukses without an SN, rc 63, rc 69, unsigned callbacks), and
 * real storage.
 */
describe(`top-ups never lose the seller money (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: FakeDigiflazz;
  let midtrans: Awaited<ReturnType<typeof startFakeMidtrans>>;
  const { faults, wrapDb } = topupFaults();
  const { syncNow, until, recheckNow, balance, topup, funded, buyer } = topupKit(() => ({ h, fake }), '628712000');
  const adminSaid = async (from: number) => (await h.sentTo(ADMIN)).slice(from);
  const pay = async (ref: string) => expect(await midtrans.sandbox.setStatus(ref, 'settlement', true)).toBe(200);

  const store = topupStore(() => ({ DIGIFLAZZ_TIMEOUT_MS: '700' }), { wrapDb });
  beforeAll(async () => {
    ({ h, fake, midtrans } = store);
    await h.chat(ADMIN, '.addproduk PULSA|Pulsa XL 10rb|12000|Nomor HP XL|Top-up');
    await h.chat(ADMIN, '.setsku PULSA xld10');
    await h.chat(ADMIN, '.addproduk MLBB|ML 86 Diamond|25000|ID + zone|Top-up');
    await h.chat(ADMIN, '.setsku MLBB ml86');
  }, 30_000);

  describe('sold is bought', () => {
    it("an admin who changes the product's SKU while the buyer pays changes only later sales: the paid order is bought as it was sold", async () => {
      const b = buyer();
      await h.chat(b, '.buynow PULSA 087811111230');
      const ref = orderIdIn(await h.last(b));
      await h.chat(ADMIN, '.setsku PULSA ml86');
      await h.chat(ADMIN, '.setharga PULSA 30000');
      try {
        await pay(ref);
        await until(async () => (await topup(ref)).status === 'delivered', 'the paid top-up');
        const tx = fake.sandbox.transactions.get(ref)!;
        expect([tx.sku, tx.customerNo]).toEqual(['xld10', '087811111230']);
        expect(await h.one(`SELECT sku, max_price FROM supplier_orders WHERE ref_id = $1`, [ref])).toMatchObject({ sku: 'xld10', max_price: expect.anything() });
        expect(Number((await h.one<{ max_price: unknown }>(`SELECT max_price FROM supplier_orders WHERE ref_id = $1`, [ref])).max_price)).toBe(10_200);
        // A later sale is the product as it is now.
        const later = await funded();
        await h.chat(later, '.buy PULSA 123456781230');
        const next = orderIdIn(await h.last(later));
        await until(async () => (await topup(next)).status === 'delivered', 'the later sale');
        expect(fake.sandbox.transactions.get(next)?.sku).toBe('ml86');
        expect(await balance(later)).toBe(100_000 - 30_000);
      } finally {
        await h.chat(ADMIN, '.setsku PULSA xld10');
        await h.chat(ADMIN, '.setharga PULSA 12000');
      }
    });

    it("a cost that rose past the sold cost while the buyer paid is not bought: max_price is the sold cost, the supplier refuses (rc 69), the money goes back with a plain reason; a late payment likewise", async () => {
      const sku = fake.sandbox.skus.find((s) => s.sku === 'xld10')!;
      const [b, late] = [buyer(), buyer()];
      await h.chat(b, '.buynow PULSA 087822221230');
      const ref = orderIdIn(await h.last(b));
      await h.chat(late, '.buynow PULSA 087822231230');
      const lateRef = orderIdIn(await h.last(late));
      await h.chat(late, '.batal');
      sku.price = 11_500; // still under the selling price: the product stays on sale at the new cost
      await syncNow();
      try {
        const before = (await h.sentTo(ADMIN)).length;
        await pay(ref);
        await until(async () => (await topup(ref)).status === 'refunded', 'the refusal');
        expect(await balance(b)).toBe(12_000);
        expect(await h.last(b)).toBe(id.topupFailed((await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!, 'price', 12_000));
        expect(fake.sandbox.transactions.has(ref)).toBe(false);
        expect((await adminSaid(before)).join('\n')).toContain('rc 69');
        // Paid after it was cancelled: the same rule.
        await pay(lateRef);
        await until(async () => (await topup(lateRef)).status === 'refunded', 'the late payment');
        expect(await balance(late)).toBe(12_000);
        // A new sale is sold, and bought, at the new cost.
        const now = await funded();
        await h.chat(now, '.buy PULSA 087822241230');
        const fresh = orderIdIn(await h.last(now));
        await until(async () => (await topup(fresh)).status === 'delivered', 'a sale at the new cost');
        expect(Number((await h.one<{ max_price: unknown }>(`SELECT max_price FROM supplier_orders WHERE ref_id = $1`, [fresh])).max_price)).toBe(11_500);
      } finally {
        sku.price = 10_200;
        await syncNow();
      }
    });

    it('the database refuses a supplier order that is not what the order was sold as', async () => {
      const b = buyer();
      await h.chat(b, '.buynow PULSA 087833331230');
      const ref = orderIdIn(await h.last(b));
      const order = (await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!;
      const attempt = (sku: string, maxPrice: number) =>
        h.db.query(`INSERT INTO supplier_orders (order_id, supplier, ref_id, sku, customer_no, max_price) VALUES ($1, 'digiflazz', $2, $3, '087833331230', $4)`, [order.orderId, ref, sku, maxPrice]);
      await expect(attempt('ml86', 10_200)).rejects.toThrow(/not what order/);
      await expect(attempt('xld10', 10_201)).rejects.toThrow(/not what order/);
      await h.chat(b, '.batal');
    });
  });

  describe('nothing sells below cost by accident', () => {
    it('a voucher that would take a top-up below its cost is refused before payment; one that keeps it above sells; the seller can allow it knowingly', async () => {
      await h.chat(ADMIN, '.addvoucher POTONG 5000');
      await h.chat(ADMIN, '.addvoucher HEMAT5 5%');
      const b = await funded();
      await h.chat(b, '.buy PULSA 087844441230 POTONG');
      expect(await h.last(b)).toBe(said('TOPUP_BELOW_COST', { code: 'PULSA', voucher: 'POTONG' }));
      await h.chat(b, '.buynow PULSA 087844441230 POTONG');
      expect(await h.last(b)).toBe(said('TOPUP_BELOW_COST', { code: 'PULSA', voucher: 'POTONG' }));
      expect(await balance(b)).toBe(100_000);
      expect(await h.db.query(`SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b])).toEqual([]);
      expect(await h.one(`SELECT uses::int AS uses FROM vouchers WHERE code = 'POTONG'`)).toEqual({ uses: 0 });
      // 5% of 12.000 keeps it at 11.400, above the cost of 10.200.
      await h.chat(b, '.buy PULSA 087844441230 HEMAT5');
      await until(async () => (await h.last(b)).includes('SN: '), 'the discounted top-up');
      expect(await balance(b)).toBe(100_000 - 11_400);
      // The seller says so: sold at a loss on purpose.
      await h.chat(ADMIN, '.setinfo jualrugi ya');
      try {
        await h.chat(b, '.buy PULSA 087844451230 POTONG');
        await until(async () => (await h.last(b)).includes('SN: '), 'the top-up at a loss');
        expect(await balance(b)).toBe(100_000 - 11_400 - 7_000);
      } finally {
        await h.chat(ADMIN, '.setinfo jualrugi -');
      }
      // A value that is not yes or no changes nothing, and the admin sees the usage.
      await h.chat(ADMIN, '.setinfo jualrugi kadang');
      expect(await h.last(ADMIN)).toBe(said('INVALID_INPUT', { command: 'setinfo' }));
      const c = await funded(); // POTONG is one use per buyer, and b used it
      await h.chat(c, '.buy PULSA 087844461230 POTONG');
      expect(await h.last(c)).toBe(said('TOPUP_BELOW_COST', { code: 'PULSA', voucher: 'POTONG' }));
    });

    it('a role price under the cost is refused before payment, unless the seller allows selling at a loss', async () => {
      const b = await funded();
      await h.chat(ADMIN, `.setrole ${b} murah`);
      await h.chat(ADMIN, '.setharga MLBB 15000 murah');
      await h.chat(b, '.buy MLBB 12345678 1230');
      expect(await h.last(b)).toBe(said('TOPUP_UNAVAILABLE', { code: 'MLBB', why: 'price' }));
      expect(await balance(b)).toBe(100_000);
      await h.chat(ADMIN, '.setinfo jualrugi ya');
      try {
        await h.chat(b, '.buy MLBB 12345678 1230');
        await until(async () => (await h.last(b)).includes('SN: '), 'the top-up at a loss');
        expect(await balance(b)).toBe(85_000);
      } finally {
        await h.chat(ADMIN, '.setinfo jualrugi tidak');
      }
    });
  });

  describe('every supplier reply read for what it says about this transaction', () => {
    it("a re-check refused before the supplier looked at the transaction (rc 45, the store's IP) stays open, never refunded; the admins are told once; the next re-check delivers", async () => {
      fake.sandbox.callbacks = 'drop';
      try {
        const b = await funded();
        await h.chat(b, '.buy PULSA 087855551233');
        const ref = orderIdIn(await h.last(b));
        expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
        await new Promise((r) => setTimeout(r, 150)); // settled Sukses at the supplier; the callback lost
        const before = (await h.sentTo(ADMIN)).length;
        const refusal = { status: 'Gagal' as const, rc: '45', message: 'IP Anda tidak kami kenali: 203.0.113.7' };
        fake.sandbox.answerNext.push(refusal, { ...refusal, rc: '45' });
        await recheckNow();
        await recheckNow();
        expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
        expect(Number((await topup(ref)).refunds)).toBe(0);
        expect(await balance(b)).toBe(100_000 - 12_000);
        const told = (await adminSaid(before)).filter((t) => t.includes('rc 45'));
        expect(told).toEqual([id.adminRecheckRefused((await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!, { outcome: 'failed', refused: true, rc: '45', message: refusal.message, sn: null, price: null, balance: null, raw: null })]);
        await recheckNow();
        expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
      } finally {
        fake.sandbox.callbacks = 'once';
      }
    });

    it('the same refusal on the first call means nothing was bought: refunded at once, the admins told the cause', async () => {
      const b = await funded();
      const before = (await h.sentTo(ADMIN)).length;
      fake.sandbox.answerNext.push({ status: 'Gagal', rc: '45', message: 'IP Anda tidak kami kenali: 203.0.113.7' });
      await h.chat(b, '.buy PULSA 087855561230');
      const ref = orderIdIn(await h.last(b));
      expect(await topup(ref)).toMatchObject({ status: 'refunded', supplier: 'failed' });
      expect(await balance(b)).toBe(100_000);
      expect((await adminSaid(before)).join('\n')).toContain('rc 45');
    });

    it('killed after the first call reached the supplier but before its answer was recorded: the next call is a re-check, and its refusal refunds nothing', async () => {
      const b = await funded();
      faults.failRecords = 1;
      await h.chat(b, '.buy PULSA 087855571230');
      const ref = (await h.one<{ public_id: string }>(`SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b])).public_id;
      expect(fake.sandbox.transactions.get(ref)?.status).toBe('Sukses');
      expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'queued' });
      fake.sandbox.answerNext.push({ status: 'Gagal', rc: '41', message: 'Signature Anda salah' });
      await h.db.query(`UPDATE supplier_orders SET locked_until = now() - interval '1 second' WHERE ref_id = $1`, [ref]);
      await h.kedai.settle();
      expect(await topup(ref)).toMatchObject({ status: 'paid' });
      expect(Number((await topup(ref)).refunds)).toBe(0);
      await recheckNow();
      expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success' });
      expect((await h.sentTo(b)).filter((t) => t.startsWith('✅ Top-up'))).toHaveLength(1);
    });

    it('a Sukses without an SN ("", then "N/A" through a callback) is a delivery: the buyer gets the success with the supplier\'s message, and .kirimulang sends it again', async () => {
      try {
        fake.sandbox.snStyle = '';
        const b = await funded();
        await h.chat(b, '.buy PULSA 087866661230');
        const ref = orderIdIn(await h.last(b));
        expect(await topup(ref)).toMatchObject({ status: 'delivered', supplier: 'success', sn: null });
        const order = (await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!;
        expect(await h.last(b)).toBe(id.topupDelivered(order, null, 'Transaksi Sukses'));
        expect(await h.last(b)).toContain('Keterangan pemasok: Transaksi Sukses');
        await h.chat(b, `.kirimulang ${ref}`);
        expect(await h.last(b)).toBe(id.topupDelivered(order, null, 'Transaksi Sukses'));
        fake.sandbox.snStyle = 'N/A';
        await h.chat(b, '.buy PULSA 087866661233');
        const pending = orderIdIn(await h.last(b));
        await until(async () => (await topup(pending)).status === 'delivered', 'the callback with N/A');
        expect(await h.last(b)).toContain('(tanpa SN)');
      } finally {
        fake.sandbox.snStyle = 'serial';
      }
    });

    it('an rc kedai does not know is decided by its status and reported to the admins once', async () => {
      const before = (await h.sentTo(ADMIN)).length;
      for (const target of ['087877771230', '087877781230']) {
        const b = await funded();
        fake.sandbox.answerNext.push({ status: 'Gagal', rc: '46', message: 'Kode baru dari pemasok' });
        await h.chat(b, `.buy PULSA ${target}`);
        const ref = orderIdIn(await h.last(b));
        expect(await topup(ref)).toMatchObject({ status: 'refunded', supplier: 'failed' });
        expect(await balance(b)).toBe(100_000);
      }
      expect((await adminSaid(before)).filter((t) => t.includes('rc 46') || t.includes(': 46 ('))).toHaveLength(1);
    });

    it('a product served once per number a day: another buyer\'s unpaid order blocks nobody; two paid racers end in rc 63 and a refund that says why', async () => {
      const sku = fake.sandbox.skus.find((s) => s.sku === 'xld10')!;
      sku.multi = false;
      await syncNow();
      try {
        const [first, second] = [buyer(), buyer()];
        await h.chat(first, '.buynow PULSA 087888881230');
        const a = orderIdIn(await h.last(first));
        await h.chat(second, '.buynow PULSA 087888881230');
        const b = orderIdIn(await h.last(second));
        await pay(a);
        await pay(b);
        // Whichever the supplier served first is delivered; the other hears rc 63 and is refunded.
        const settled = async () => [(await topup(a)).status, (await topup(b)).status].sort().join();
        await until(async () => (await settled()) === 'delivered,refunded', 'both racers');
        const [won, lost, loser] = (await topup(a)).status === 'delivered' ? [a, b, second] : [b, a, first];
        const order = (await h.kedai.deps.store.autocommit.orders.findByPublicId(lost))!;
        expect(await h.last(loser)).toBe(id.topupFailed(order, 'repeat', 12_000));
        expect(await h.last(loser)).toContain('sekali sehari');
        // Now paid, it blocks a third buyer before payment.
        const third = await funded();
        await h.chat(third, '.buy PULSA 087888881230');
        expect(await h.last(third)).toBe(said('TOPUP_REPEAT', { code: 'PULSA', target: '087888881230', orderId: won }));
      } finally {
        sku.multi = true;
        await syncNow();
      }
    });

    it('the invariant checker catches a refund of a top-up the supplier may still deliver', async () => {
      fake.sandbox.callbacks = 'drop';
      fake.sandbox.settleMs = 60_000;
      try {
        const b = await funded();
        await h.chat(b, '.buy PULSA 087899991233');
        const ref = orderIdIn(await h.last(b));
        const order = (await h.kedai.deps.store.autocommit.orders.findByPublicId(ref))!;
        const found = await h.db
          .transaction(async (sql) => {
            await sql.query(`INSERT INTO ledger_entries (user_id, amount, kind, order_id, note) VALUES ($1, $2, 'refund', $3, 'top-up failed: forged')`, [order.userId, order.total, order.orderId]);
            const v = await verifyInvariants(sql);
            throw Object.assign(new Error('rollback'), { v });
          })
          .catch((e: { v?: { invariant: string }[] }) => e.v ?? []);
        expect(found.map((v) => v.invariant)).toContain('nothing is refunded while the supplier may still deliver the top-up');
      } finally {
        fake.sandbox.callbacks = 'once';
        fake.sandbox.settleMs = 50;
        await new Promise((r) => setTimeout(r, 10));
      }
    });
  });

  describe('reversals', () => {
    it('the bank reverses a paid top-up still with the supplier: the supplier order goes on, the admins hear the truth, the late Sukses is theirs to decide, the buyer gets no SN', async () => {
      fake.sandbox.callbacks = 'drop';
      try {
        const b = buyer();
        await h.chat(b, '.buynow PULSA 087811121233');
        const ref = orderIdIn(await h.last(b));
        await pay(ref);
        await until(async () => (await topup(ref)).supplier === 'pending', 'the top-up at the supplier');
        const before = (await h.sentTo(ADMIN)).length;
        expect(await midtrans.sandbox.setStatus(ref, 'deny', true)).toBe(200);
        await h.kedai.settle();
        expect(await topup(ref)).toMatchObject({ status: 'reversed', supplier: 'pending' });
        const told = (await adminSaid(before)).join('\n');
        expect(told).toContain('masih diproses pemasok');
        expect(told).toContain('tidak ada yang dikembalikan ke saldo');
        expect(told).toContain('masih terhutang Rp12.000');
        expect(told).not.toContain('dikembalikan ke saldonya');
        await new Promise((r) => setTimeout(r, 150));
        const after = (await h.sentTo(ADMIN)).length;
        await recheckNow();
        expect(await topup(ref)).toMatchObject({ status: 'reversed', supplier: 'success' });
        const late = (await adminSaid(after)).join('\n');
        expect(late).toContain(`SUKSES untuk top-up ${ref}`);
        expect(late).toContain('dibatalkan bank');
        expect(late).not.toContain('dikembalikan ke saldo');
        expect((await h.sentTo(b)).some((t) => t.includes('SN: '))).toBe(false);
        expect(Number((await topup(ref)).refunds)).toBe(0);
      } finally {
        fake.sandbox.callbacks = 'once';
      }
    });

    it('a reversed top-up the supplier then fails: nothing refunded on top of the bank, the admins told nothing was delivered', async () => {
      fake.sandbox.callbacks = 'drop';
      try {
        const b = buyer();
        await h.chat(b, '.buynow PULSA 087811131234');
        const ref = orderIdIn(await h.last(b));
        await pay(ref);
        await until(async () => (await topup(ref)).supplier === 'pending', 'the top-up at the supplier');
        expect(await midtrans.sandbox.setStatus(ref, 'deny', true)).toBe(200);
        await h.kedai.settle();
        await new Promise((r) => setTimeout(r, 150));
        const before = (await h.sentTo(ADMIN)).length;
        await recheckNow();
        expect(await topup(ref)).toMatchObject({ status: 'reversed', supplier: 'failed' });
        expect(Number((await topup(ref)).refunds)).toBe(0);
        expect(await balance(b)).toBe(0);
        expect((await adminSaid(before)).join('\n')).toContain(`GAGAL untuk top-up ${ref}`);
      } finally {
        fake.sandbox.callbacks = 'once';
      }
    });
  });
});

/**
 * A supplier slower than two seconds (a real Digiflazz under load, DIGIFLAZZ_TIMEOUT_MS 30 s),
 * and a store that set no webhook secret in Digiflazz's panel.
 */
describe(`a slow supplier, and callbacks without a secret (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: FakeDigiflazz;
  const { until, topup, funded } = topupKit(() => ({ h, fake }), '628713000');

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeDigiflazz(() => `http://127.0.0.1:${port}/webhooks/digiflazz`);
    fake.sandbox.settleMs = 50;
    const { DIGIFLAZZ_WEBHOOK_SECRET: _unset, ...env } = fake.env;
    h = await startKedai(concurrentBackend, { PORT: String(port), ...env, DIGIFLAZZ_TIMEOUT_MS: '8000' });
    await h.db.query('UPDATE supplier_state SET next_sync_at = now()');
    h.kedai.supplier.sync.kick();
    await h.kedai.supplier.sync.idle();
    await h.chat(ADMIN, '.addproduk PULSA|Pulsa XL 10rb|12000|Nomor HP XL');
    await h.chat(ADMIN, '.setsku PULSA xld10');
  }, 30_000);
  afterAll(async () => {
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
    await fake?.close();
  });

  it('the buyer hears "paid, being processed" within about two seconds while the supplier is still answering; the SN follows; one notice only', async () => {
    const b = await funded();
    fake.sandbox.delayMs = 3_500;
    try {
      const sent = Date.now();
      expect((await h.post('/chat/api/send', { from: b, name: '', text: '.buy PULSA 087821211230' })).status).toBe(202);
      let heard: string[] = [];
      while (Date.now() - sent < 3_000) {
        heard = await h.sentTo(b);
        if (heard.some((t) => t.startsWith('⏳'))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const at = Date.now() - sent;
      expect(heard.filter((t) => t.startsWith('⏳'))).toHaveLength(1);
      expect(heard.some((t) => t.includes('SN: '))).toBe(false);
      expect(at).toBeLessThan(3_000); // the supplier answers at 3.5 s
      const ref = orderIdIn(heard.at(-1)!);
      await until(async () => (await topup(ref)).status === 'delivered', 'the SN');
      const all = await h.sentTo(b);
      expect(all.filter((t) => t.startsWith('⏳'))).toHaveLength(1);
      expect(all.findIndex((t) => t.startsWith('⏳'))).toBeLessThan(all.findIndex((t) => t.includes('SN: ')));
      expect(fake.sandbox.transactions.get(ref)?.calls).toBe(1);
    } finally {
      fake.sandbox.delayMs = 0;
    }
  });

  it('a fast supplier: the SN, and no "processing" notice', async () => {
    const b = await funded();
    await h.chat(b, '.buy PULSA 087821221230');
    expect((await h.sentTo(b)).filter((t) => t.startsWith('⏳'))).toHaveLength(0);
    expect(await h.last(b)).toContain('SN: ');
  });

  it('without a webhook secret a callback is never trusted, but it brings the re-check forward: the SN in seconds, not at the next minute', async () => {
    fake.sandbox.signCallbacks = false;
    try {
      const b = await funded();
      await h.chat(b, '.buy PULSA 087821231233');
      const ref = orderIdIn(await h.last(b));
      expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
      // The fake settles it and calls back unsigned; kedai asks Digiflazz and delivers, well before the one-minute re-check.
      await until(async () => (await topup(ref)).status === 'delivered', 'the hinted re-check', 200);
      expect(fake.sandbox.transactions.get(ref)?.calls).toBe(2);
      expect(await h.one(`SELECT count(*)::int AS n FROM supplier_events`)).toEqual({ n: 0 });
    } finally {
      fake.sandbox.signCallbacks = true;
    }
  });

  it('a forged callback without a secret changes nothing: the re-check reads the truth (still pending), an unknown ref_id gets the same answer', async () => {
    fake.sandbox.callbacks = 'drop';
    fake.sandbox.settleMs = 60_000;
    try {
      const b = await funded();
      await h.chat(b, '.buy PULSA 087821241233');
      const ref = orderIdIn(await h.last(b));
      const forged = (refId: string) => JSON.stringify({ data: { ref_id: refId, customer_no: '087821241233', buyer_sku_code: 'xld10', status: 'Gagal', rc: '02', message: 'Transaksi Gagal', sn: '' } });
      const post = async (refId: string) => (await fetch(`${h.url}/webhooks/digiflazz`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged(refId) })).status;
      const calls = fake.sandbox.transactions.get(ref)!.calls;
      expect(await post(ref)).toBe(200);
      expect(await post('KD-20261204-DEADBEEF')).toBe(200);
      await until(async () => fake.sandbox.transactions.get(ref)!.calls > calls, 'the re-check', 200);
      await h.kedai.settle();
      expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
      expect(Number((await topup(ref)).refunds)).toBe(0);
      // A flood of hints does not hammer the supplier: at most one re-check per few seconds.
      const now = fake.sandbox.transactions.get(ref)!.calls;
      for (let i = 0; i < 20; i++) expect(await post(ref)).toBe(200);
      await h.kedai.settle();
      expect(fake.sandbox.transactions.get(ref)!.calls).toBeLessThanOrEqual(now + 1);
    } finally {
      fake.sandbox.callbacks = 'once';
      fake.sandbox.settleMs = 50;
      // Settle what is left so the invariants read a finished store.
      await h.db.query(`UPDATE supplier_orders SET next_check_at = now(), locked_until = NULL WHERE status IN ('queued', 'pending', 'unknown')`);
    }
  });
});
