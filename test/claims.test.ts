import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { refundToBalance } from '../src/app/admin.js';
import { textsFor } from '../src/i18n/index.js';
import { ADMIN, concurrentBackend, orderIdIn, said, startKedai, stockProduct, type Harness } from './helpers.js';

const id = textsFor('id');
const TOKEN = 'claims-test-admin-token-0123456789';

/**
 * Issue #33, warranty claims: `.setgaransi`, the buyer's `.klaim`, the admins' `.ganti` (the
 * next item sold to that order) and `.tolak`, a refund closing the claim. Through the chat,
 * on a real database; the invariant checker at the end.
 */
describe('warranty claims', () => {
  let h: Harness;
  let n = 0;
  const buyer = () => `62871900${String(++n).padStart(4, '0')}`;
  const claim = (ref: string) => h.one<{ status: string; n: string }>(`SELECT c.status, (SELECT count(*) FROM warranty_claims x WHERE x.order_id = c.order_id)::text AS n FROM warranty_claims c JOIN orders o ON o.id = c.order_id WHERE o.public_id = $1 ORDER BY c.id DESC LIMIT 1`, [ref]);
  const sold = async (ref: string) => Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items s JOIN orders o ON o.id = s.order_id WHERE o.public_id = $1 AND s.status = 'sold'`, [ref])).n);
  /** A buyer with a delivered AKUN order. */
  const bought = async () => {
    const b = buyer();
    await h.chat(ADMIN, `.addsaldo ${b} 10000`);
    await h.chat(b, '.buy AKUN');
    return { b, ref: orderIdIn(await h.last(b)) };
  };

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ADMIN_TOKEN: TOKEN });
    await stockProduct(h, 'AKUN', 10_000, ['akun-1', 'akun-2', 'akun-3', 'akun-4', 'akun-5', 'akun-6', 'akun-7', 'akun-8']);
    await h.chat(ADMIN, '.setgaransi AKUN 7');
    await stockProduct(h, 'NOWARR', 10_000, ['x-1']);
  });
  afterAll(async () => {
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
  });

  it('the buyer claims within the warranty: admins told, one open claim per order; anyone else, a bad or overlong reason, or no warranty: refused, nothing opened', async () => {
    expect(await h.sentTo(ADMIN)).toContain(id.warrantySet('AKUN', 7));
    const { b, ref } = await bought();
    await h.chat(b, `.klaim ${ref} akun tidak bisa login`);
    expect(await h.last(b)).toBe(id.claimOpened(ref));
    expect(await h.sentTo(ADMIN)).toContain(id.adminClaimOpened(ref, 'AKUN', b, 'akun tidak bisa login'));
    await h.chat(b, `.klaim ${ref} masih belum bisa`);
    expect(await h.last(b)).toBe(said('CLAIM_OPEN', { orderId: ref }));
    const stranger = buyer();
    await h.chat(stranger, `.klaim ${ref} ini punyaku`);
    expect(await h.last(stranger)).toBe(said('UNKNOWN_ORDER', { orderId: ref }));
    const other = await bought();
    await h.chat(other.b, `.klaim ${other.ref} ${'x'.repeat(1_000)}`);
    expect(await h.last(other.b)).toBe(said('REASON_TOO_LONG', { max: 500 }));
    // 5,000 characters: the whole message is refused before any command runs.
    await h.chat(other.b, `.klaim ${other.ref} ${'x'.repeat(5_000)}`);
    expect(await h.last(other.b)).toContain('terlalu panjang');
    await h.chat(other.b, `.klaim ${other.ref}`);
    expect(await h.last(other.b)).toContain('klaim');
    await h.chat(other.b, '.klaim KD-20990101-FFFFFFFF rusak');
    expect(await h.last(other.b)).toBe(said('UNKNOWN_ORDER', { orderId: 'KD-20990101-FFFFFFFF' }));
    await h.chat(ADMIN, `.addsaldo ${other.b} 10000`);
    await h.chat(other.b, '.buy NOWARR');
    const plain = orderIdIn(await h.last(other.b));
    await h.chat(other.b, `.klaim ${plain} rusak`);
    expect(await h.last(other.b)).toBe(said('NO_WARRANTY', { orderId: plain }));
    expect(Number((await h.one<{ n: unknown }>('SELECT count(*) AS n FROM warranty_claims')).n)).toBe(1);
  });

  it('after the warranty days: refused', async () => {
    const { b, ref } = await bought();
    await h.db.query(`UPDATE orders SET delivered_at = now() - interval '8 days' WHERE public_id = $1`, [ref]);
    await h.chat(b, `.klaim ${ref} rusak`);
    expect(await h.last(b)).toBe(said('WARRANTY_OVER', { orderId: ref, days: 7 }));
  });

  it('.ganti sells the next item to that order with its delivery message; two at once give one replacement', async () => {
    const { b, ref } = await bought();
    await h.chat(b, `.klaim ${ref} password salah`);
    await Promise.all([h.chat(ADMIN, `.ganti ${ref}`), h.chat(ADMIN, `.ganti ${ref}`)]);
    expect(await claim(ref)).toEqual({ status: 'replaced', n: '1' });
    expect(await sold(ref)).toBe(2);
    expect(Number((await h.one<{ replaced: unknown }>('SELECT replaced FROM orders WHERE public_id = $1', [ref])).replaced)).toBe(1);
    const replacement = (await h.sentTo(b)).filter((t) => t.startsWith('🔁'));
    expect(replacement).toHaveLength(1);
    expect(replacement[0]).toMatch(/akun-\d/);
    expect((await h.sentTo(ADMIN)).filter((t) => t === said('NO_OPEN_CLAIM', { orderId: ref }))).toHaveLength(1);
  });

  it('a claim granted while the product is sold out gets a clear "no stock" and stays open; .tolak closes it and tells the buyer', async () => {
    const { b, ref } = await bought();
    await h.chat(b, `.klaim ${ref} tidak aktif`);
    await h.chat(ADMIN, '.delstok AKUN');
    await h.chat(ADMIN, `.ganti ${ref}`);
    expect(await h.last(ADMIN)).toBe(said('SOLD_OUT', { code: 'AKUN', available: 0, asked: 1 }));
    expect(await claim(ref)).toEqual({ status: 'open', n: '1' });
    await h.chat(ADMIN, `.tolak ${ref} akun sudah dicek aktif`);
    expect(await h.last(b)).toBe(id.claimRejected(ref, 'akun sudah dicek aktif'));
    expect(await claim(ref)).toEqual({ status: 'rejected', n: '1' });
    // A buyer cannot answer claims.
    await h.chat(b, `.ganti ${ref}`);
    expect(await claim(ref)).toEqual({ status: 'rejected', n: '1' });
  });

  it('a refund (the dashboard) answers the open claim', async () => {
    await h.chat(ADMIN, '.addstok AKUN\nakun-9');
    const { b, ref } = await bought();
    await h.chat(b, `.klaim ${ref} expired`);
    await refundToBalance(h.kedai.deps, ref);
    expect(await claim(ref)).toEqual({ status: 'refunded', n: '1' });
  });

  it('the dashboard: open claims on the Klaim page and under "needs attention"; replaced or rejected from there', async () => {
    const login = await fetch(`${h.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const get = async (path: string) => (await fetch(`${h.url}${path}`, { headers: { cookie } })).text();
    const post = async (path: string, fields: Record<string, string>) => {
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await get('/admin/claims'))![1]!;
      return fetch(`${h.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, ...fields }), redirect: 'manual' });
    };
    await h.chat(ADMIN, '.addstok AKUN\nakun-10\nakun-11\nakun-12\nakun-13');
    const first = await bought();
    const second = await bought();
    await h.chat(first.b, `.klaim ${first.ref} tidak bisa login`);
    await h.chat(second.b, `.klaim ${second.ref} salah profil`);
    const page = await get('/admin/claims');
    expect(page).toContain(first.ref);
    expect(page).toContain('salah profil');
    expect(await get('/admin')).toContain(`Klaim garansi <a href="/admin/claims">${first.ref}</a>`);
    expect((await post(`/admin/claims/${first.ref}/replace`, {})).status).toBe(303);
    await h.kedai.settle();
    expect(await claim(first.ref)).toEqual({ status: 'replaced', n: '1' });
    expect((await h.sentTo(first.b)).some((t) => t.startsWith('🔁'))).toBe(true);
    expect((await post(`/admin/claims/${second.ref}/reject`, { reason: 'profil sudah benar' })).status).toBe(303);
    await h.kedai.settle();
    expect(await h.last(second.b)).toBe(id.claimRejected(second.ref, 'profil sudah benar'));
    const after = await get('/admin/claims');
    expect([after.includes(first.ref), after.includes(second.ref)]).toEqual([false, false]);
    // Without a session: the login page, nothing changes.
    const anon = await fetch(`${h.url}/admin/claims/${second.ref}/replace`, { method: 'POST', redirect: 'manual' });
    expect([302, 303, 401, 403]).toContain(anon.status);
  });
});
