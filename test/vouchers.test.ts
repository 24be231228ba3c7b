import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { discountOn, parseDiscount } from '../src/domain/pricing.js';
import { parseRupiah } from '../src/domain/money.js';
import { ADMIN, backends, concurrentBackend, freePort, orderIdIn, startKedai, stockProduct, type Harness, said } from './helpers.js';
import { startFakeMidtrans } from './fakes/midtrans.js';

describe('the discount rule', () => {
  it('takes a percentage rounded down or an amount, and never leaves less than Rp1.000', () => {
    expect(discountOn(15_000, { percent: 10 })).toBe(1_500);
    expect(discountOn(9_999, { percent: 10 })).toBe(999);
    expect(discountOn(20_000, { amount: 5_000 })).toBe(5_000);
    expect(discountOn(20_000, { amount: 50_000 })).toBe(19_000);
    expect(discountOn(20_000, { percent: 100 })).toBe(19_000);
    expect(discountOn(1_000, { percent: 50 })).toBe(0);
    expect(parseDiscount('10%', parseRupiah)).toEqual({ percent: 10 });
    expect(parseDiscount('Rp5.000', parseRupiah)).toEqual({ amount: 5_000 });
    expect(parseDiscount('150%', parseRupiah)).toBeNull();
    expect(parseDiscount('abc', parseRupiah)).toBeNull();
  });
});

describe(`vouchers with Snap (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    h = await startKedai(concurrentBackend, { PORT: String(port), ...fake.env });
    await stockProduct(h, 'NFX', 15_000, Array.from({ length: 20 }, (_, i) => `NFX-${i}`));
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.close();
  });
  const uses = async (code: string) => Number((await h.one<{ uses: unknown }>('SELECT uses FROM vouchers WHERE code = $1', [code])).uses);

  it('HEMAT10 10% 2: ten buyers race, exactly two get 90% links whose items sum to gross_amount, eight are told it is used up', async () => {
    await h.chat(ADMIN, '.addvoucher HEMAT10 10% 2');
    expect(await h.last(ADMIN)).toContain('Voucher HEMAT10 dibuat: potongan 10%, 2x pakai');
    const buyers = Array.from({ length: 10 }, (_, i) => `62887300000${String(i).padStart(2, '0')}`);
    await Promise.all(buyers.map((b) => h.chat(b, '.buynow NFX HEMAT10')));
    const replies = await Promise.all(buyers.map((b) => h.last(b)));
    const linked = replies.filter((r) => r.includes('KD-'));
    expect(linked).toHaveLength(2);
    expect(replies.filter((r) => r === 'Maaf, kuota voucher "HEMAT10" sudah habis. Pesanan tidak dibuat; beli tanpa voucher bila mau.')).toHaveLength(8);
    for (const text of linked) {
      expect(text).toContain('Produk NFX x1 — Rp13.500 (voucher HEMAT10 −Rp1.500)');
      const tx = fake.sandbox.transactions.get(orderIdIn(text))!;
      expect(tx.grossAmount).toBe(13_500);
      expect(tx.items).toEqual([
        { id: 'NFX', name: 'Produk NFX', price: 15_000, quantity: 1 },
        { id: 'VOUCHER-HEMAT10', name: 'Voucher HEMAT10', price: -1_500, quantity: 1 },
      ]);
      expect(tx.items.reduce((s, i) => s + i.price * i.quantity, 0)).toBe(tx.grossAmount);
    }
    expect(await h.one('SELECT count(*)::int AS n FROM orders WHERE voucher_code IS NOT NULL')).toEqual({ n: 2 });
    expect(await uses('HEMAT10')).toBe(2);
    expect(await verifyInvariants(h.db)).toEqual([]);
  });

  it('gives the use back when an order expires or is cancelled, so another buyer can have it', async () => {
    // Two uses, both taken by pending orders.
    await h.chat(ADMIN, '.addvoucher KEMBALI 10% 2');
    const holder = '6288730000098';
    const other = '6288730000097';
    await h.chat(holder, '.buynow NFX KEMBALI');
    const held = orderIdIn(await h.last(holder));
    await h.chat(other, '.buynow NFX KEMBALI');
    expect(await uses('KEMBALI')).toBe(2);
    await h.db.query(`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE public_id = $1`, [held]);
    h.kedai.sweeper.kick();
    await h.kedai.sweeper.idle();
    await h.kedai.settle();
    expect(await h.one('SELECT status FROM orders WHERE public_id = $1', [held])).toEqual({ status: 'expired' });
    expect(await uses('KEMBALI')).toBe(1);

    const late = '6288730000099';
    await h.chat(late, '.buynow NFX KEMBALI');
    expect(await h.last(late)).toContain('Rp13.500 (voucher KEMBALI');
    expect(await uses('KEMBALI')).toBe(2);
    await h.chat(late, '.batal');
    expect(await uses('KEMBALI')).toBe(1);
    // The buyer whose order expired may use it again: the given-back use no longer counts as theirs.
    await h.chat(holder, '.buynow NFX KEMBALI');
    expect(await h.last(holder)).toContain('voucher KEMBALI');
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h.chat(holder, '.batal');
    await h.chat(other, '.batal');
  });

  it('gives the use back when the payment link cannot be made (the order fails)', async () => {
    await h.chat(ADMIN, '.addvoucher GAGAL 10% 1');
    fake.faults.push({ route: 'snap', kind: 400 }); // a 400 is final: no retry
    const b = '6288730000077';
    await h.chat(b, '.buynow NFX GAGAL');
    expect(await h.last(b)).toBe(said('PAYMENT_UNAVAILABLE'));
    expect(await h.one(`SELECT status FROM orders WHERE voucher_code = 'GAGAL'`)).toEqual({ status: 'failed' });
    expect(await uses('GAGAL')).toBe(0);
    await h.chat(b, '.buynow NFX GAGAL');
    expect(await h.last(b)).toContain('voucher GAGAL −Rp1.500');
    expect(await verifyInvariants(h.db)).toEqual([]);
  });

  it('buyers cancelling and buyers buying with one voucher and one product at the same moment never deadlock', async () => {
    await h.chat(ADMIN, '.addstok NFX\n' + Array.from({ length: 30 }, (_, i) => `NFX-more-${i}`).join('\n'));
    await h.chat(ADMIN, '.addvoucher RAMAI 10% 100');
    const first = Array.from({ length: 10 }, (_, i) => `62887350000${String(i).padStart(2, '0')}`);
    const second = Array.from({ length: 10 }, (_, i) => `62887360000${String(i).padStart(2, '0')}`);
    await Promise.all(first.map((b) => h.chat(b, '.buynow NFX RAMAI')));
    expect(await uses('RAMAI')).toBe(10);
    // Each cancel gives a use back and puts stock back; each buy takes a use and claims stock.
    await Promise.all([...first.map((b) => h.chat(b, '.batal')), ...second.map((b) => h.chat(b, '.buynow NFX RAMAI'))]);
    for (const b of [...first, ...second]) expect(await h.last(b)).not.toContain('gangguan');
    expect(await uses('RAMAI')).toBe(10);
    expect(await verifyInvariants(h.db)).toEqual([]);
  });

  it('refuses unknown, deleted and expired vouchers with a clear reply and no order', async () => {
    const b = '6288730000050';
    const orders = async () => Number((await h.one<{ n: unknown }>('SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1', [b])).n);
    await h.chat(b, '.buynow NFX NGAWUR');
    expect(await h.last(b)).toBe('Voucher "NGAWUR" tidak ditemukan. Pesanan tidak dibuat.');
    await h.chat(ADMIN, '.addvoucher LAMA 5000 10 1');
    await h.db.query(`UPDATE vouchers SET expires_at = now() - interval '1 second' WHERE code = 'LAMA'`);
    await h.chat(b, '.buynow NFX LAMA');
    expect(await h.last(b)).toBe('Voucher "LAMA" sudah tidak berlaku. Pesanan tidak dibuat.');
    await h.chat(ADMIN, '.addvoucher HAPUS 5000');
    await h.chat(ADMIN, '.delvoucher HAPUS');
    expect(await h.last(ADMIN)).toContain('Voucher HAPUS dihapus');
    await h.chat(b, '.buynow NFX 1 HAPUS');
    expect(await h.last(b)).toBe('Voucher "HAPUS" sudah tidak berlaku. Pesanan tidak dibuat.');
    expect(await orders()).toBe(0);
    await h.chat(ADMIN, '.addvoucher HAPUS 10%');
    expect(await h.last(ADMIN)).toBe('Kode voucher "HAPUS" sudah pernah dibuat.');
    await h.chat(ADMIN, '.addvoucher X 10%');
    expect(await h.last(ADMIN)).toBe(said('INVALID_INPUT', { command: 'addvoucher' }));
    await h.chat(ADMIN, '.addvoucher OKE 0%');
    expect(await h.last(ADMIN)).toContain('Format salah');
    await h.chat(b, '.addvoucher CURANG 100%');
    expect(await h.one('SELECT count(*)::int AS n FROM vouchers WHERE code = $1', ['CURANG'])).toEqual({ n: 0 });
  });
});

describe.each(backends)('vouchers paid from the balance on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'VCR', 20_000, ['V-1', 'V-2', 'V-3', 'V-4']);
  });
  afterAll(async () => h?.stop());

  it('charges the discounted total, once per buyer, and never below Rp1.000; .vouchers shows the uses left', async () => {
    const b = '6288740000001';
    await h.chat(ADMIN, `.addsaldo ${b} 100000`);
    await h.chat(ADMIN, '.addvoucher POTONG 5000 3');
    await h.chat(b, '.buy VCR 2 POTONG');
    expect(await h.sentTo(b)).toContainEqual(expect.stringContaining('Dibayar dengan saldo: Rp35.000'));
    expect(await h.one('SELECT balance::int AS balance FROM users WHERE wa_id = $1', [b])).toEqual({ balance: 65_000 });
    await h.chat(b, '.buy VCR POTONG');
    expect(await h.last(b)).toBe('Voucher "POTONG" sudah pernah kamu pakai. Pesanan tidak dibuat.');
    expect(await h.one('SELECT balance::int AS balance FROM users WHERE wa_id = $1', [b])).toEqual({ balance: 65_000 });

    await h.chat(ADMIN, '.addvoucher GRATIS 100%');
    await h.chat(b, '.buy VCR GRATIS');
    expect(await h.sentTo(b)).toContainEqual(expect.stringContaining('Dibayar dengan saldo: Rp1.000'));

    await h.chat(ADMIN, '.vouchers');
    const list = await h.last(ADMIN);
    expect(list).toContain('• POTONG — Rp5.000 — sisa 2 dari 3');
    expect(list).toContain('• GRATIS — 100% — 1 terpakai');
    expect(await verifyInvariants(h.db)).toEqual([]);
  });

  it('the database refuses a use past the maximum or twice for a buyer, whatever the app checked', async () => {
    const [v] = await h.db.query<{ id: unknown }>(`INSERT INTO vouchers (code, percent, max_uses) VALUES ('SATU', 10, 1) RETURNING id`);
    const [u] = await h.db.query<{ id: unknown }>(`INSERT INTO users (wa_id) VALUES ('6288740000002') RETURNING id`);
    const order = async () =>
      (await h.db.query<{ id: unknown }>(
        `INSERT INTO orders (public_id, user_id, kind, product_id, qty, unit_price, total, payment_method, status, discount, voucher_code)
         SELECT 'KD-T-' || floor(random() * 1e9), $1, 'purchase', id, 1, 20000, 18000, 'gateway', 'cancelled', 2000, 'SATU' FROM products WHERE code = 'VCR' RETURNING id`,
        [u!.id],
      ))[0]!.id;
    await h.db.query('INSERT INTO voucher_uses (voucher_id, user_id, order_id) VALUES ($1, $2, $3)', [v!.id, u!.id, await order()]);
    await expect(h.db.query('INSERT INTO voucher_uses (voucher_id, user_id, order_id) VALUES ($1, $2, $3)', [v!.id, u!.id, await order()])).rejects.toThrow();
    await h.db.query('UPDATE vouchers SET max_uses = 5 WHERE id = $1', [v!.id]);
    await expect(h.db.query('INSERT INTO voucher_uses (voucher_id, user_id, order_id) VALUES ($1, $2, $3)', [v!.id, u!.id, await order()])).rejects.toThrow(/voucher_once_per_buyer/);
    await expect(h.db.query(`UPDATE orders SET total = 100 WHERE voucher_code = 'SATU'`)).rejects.toThrow(/orders_total_after_discount/);
  });
});
