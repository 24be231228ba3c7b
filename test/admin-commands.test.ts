import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRupiah } from '../src/domain/money.js';
import { ADMIN, backends, orderIdIn, startKedai, stockProduct, type Harness, said } from './helpers.js';

describe.each(backends)('running the store from the chat, on $name', (backend) => {
  let h: Harness;
  const reseller = '6289300000001';
  const member = '6289300000002';
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'ROLE', 10_000, Array.from({ length: 8 }, (_, i) => `ROLE-${i}`));
  });
  afterAll(async () => h?.stop());

  it('prices a product per role: the catalogue, .buy from the balance and the Snap amount use it', async () => {
    await h.chat(ADMIN, `.setrole ${reseller} reseller`);
    expect(await h.last(ADMIN)).toContain('reseller');
    await h.chat(ADMIN, '.setharga ROLE 8000 reseller');
    await h.chat(reseller, '.produk');
    expect(await h.last(reseller)).toContain('Rp8.000');
    await h.chat(member, '.produk');
    expect(await h.last(member)).toContain('Rp10.000');

    await h.chat(reseller, '.buynow ROLE 2');
    const orderId = orderIdIn(await h.last(reseller));
    expect(h.kedai.sandbox!.transactions.get(orderId)!.request).toMatchObject({
      transaction_details: { gross_amount: 16_000 },
      item_details: [{ id: 'ROLE', price: 8_000, quantity: 2 }],
    });
    await h.chat(reseller, '.batal');

    await h.chat(ADMIN, `.addsaldo ${reseller} 8000`);
    await h.chat(reseller, '.buy ROLE');
    expect(await h.last(reseller)).toContain('Sisa saldo Rp0');
    await h.chat(ADMIN, '.setharga ROLE 1000 nope!');
    expect(await h.last(ADMIN)).toBe(said('INVALID_INPUT', { command: 'setharga' }));
  });

  it('.block silences a buyer until .unblock', async () => {
    await h.chat(ADMIN, `.block ${member}`);
    const before = (await h.sentTo(member)).length;
    await h.chat(member, '.produk');
    await h.chat(member, '.buy ROLE');
    expect((await h.sentTo(member)).length).toBe(before);
    await h.chat(ADMIN, `.unblock ${member}`);
    await h.chat(member, '.produk');
    expect((await h.sentTo(member)).length).toBe(before + 1);
  });

  it('.rekap equals a direct SQL sum over the same orders', async () => {
    await h.chat(ADMIN, `.addsaldo ${member} 30000`);
    await h.chat(member, '.buy ROLE 2');
    await h.chat(ADMIN, '.rekap today');
    const recap = await h.last(ADMIN);
    const [sql] = await h.db.query<{ orders: unknown; revenue: unknown }>(
      `SELECT count(*) AS orders, coalesce(sum(total), 0) AS revenue FROM orders
        WHERE kind = 'purchase' AND status IN ('paid', 'delivered')
          AND paid_at >= (date_trunc('day', now() AT TIME ZONE 'Asia/Jakarta') AT TIME ZONE 'Asia/Jakarta')`,
    );
    expect(Number(sql!.orders)).toBeGreaterThan(0);
    expect(recap).toContain(`Pesanan terjual: ${Number(sql!.orders)}`);
    expect(recap).toContain(`Omzet: ${formatRupiah(Number(sql!.revenue))}`);
    expect(recap).toContain('ROLE');
    await h.chat(ADMIN, '.rekap 30d');
    expect(await h.last(ADMIN)).toContain('Rekap 30 hari');
    await h.chat(ADMIN, '.rekap kemarin');
    expect(await h.last(ADMIN)).toBe(said('INVALID_INPUT', { command: 'rekap' }));
    await h.chat(ADMIN, '.stats');
    expect(await h.last(ADMIN)).toMatch(/Produk aktif: 1 · stok tersedia: \d+/);
  });

  it('.broadcast reaches only buyers who wrote within 24 hours, never the admins', async () => {
    const quiet = '6289300000003';
    // Two buyers who wrote today (whatever ran before), one who wrote two days ago.
    await h.chat(member, '.menu');
    await h.chat(reseller, '.menu');
    await h.chat(quiet, '.menu');
    // "Last seen" is written in the background: wait for it before making it old.
    for (let i = 0; i < 100 && !(await h.db.query(`SELECT 1 FROM users WHERE wa_id = $1`, [quiet])).length; i++) await new Promise((r) => setTimeout(r, 10));
    await h.db.query(`UPDATE users SET last_seen_at = now() - interval '2 days' WHERE wa_id = $1`, [quiet]);
    await h.chat(ADMIN, '.broadcast Promo: semua voucher diskon!\nHanya hari ini.');
    expect(await h.last(ADMIN)).toMatch(/Broadcast dijadwalkan ke \d+ pembeli/);
    await h.kedai.settle();
    expect(await h.last(member)).toBe('Promo: semua voucher diskon!\nHanya hari ini.');
    expect(await h.last(reseller)).toContain('Promo');
    expect((await h.sentTo(quiet)).some((t) => t.includes('Promo'))).toBe(false);
    expect((await h.sentTo(ADMIN)).filter((t) => t.startsWith('Promo'))).toHaveLength(0);
  });
});
