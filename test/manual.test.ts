import { beforeAll, describe, expect, it } from 'vitest';
import { remindByHand } from '../src/app/by-hand.js';
import { refundToBalance } from '../src/app/admin.js';
import { textsFor } from '../src/i18n/index.js';
import { ADMIN, orderIdIn, said, stockProduct, type Harness } from './helpers.js';
import { topupKit, topupStore } from './topup-kit.js';

const id = textsFor('id');

/**
 * Issue #33, a detail from the buyer and delivery by hand: `.setform CODE email` makes `.buy
 * CODE DETAIL` required and validated; a product with a form and no stock (or `.setmanual`) waits
 * once paid for an admin's `.kirim`, which delivers the text as the goods. Through the chat.
 */
describe('a detail from the buyer, and delivery by hand', () => {
  const store = topupStore(() => ({}));
  const { funded, balance, buyer } = topupKit(() => store, '628720000');
  let h: Harness;
  const order = (ref: string) => h.one<{ status: string; detail: string | null; hand_message: string | null }>('SELECT status, detail, hand_message FROM orders WHERE public_id = $1', [ref]);
  const refIn = async (b: string) => orderIdIn((await h.sentTo(b)).filter((t) => /KD-\d{8}-/.test(t)).at(-1)!);

  beforeAll(async () => {
    h = store.h;
    await h.chat(ADMIN, '.addproduk INVITE|Invite Spotify Family|15000|Undangan ke e-mail kamu');
    await h.chat(ADMIN, '.setform INVITE email');
  });

  it('the detail is required and validated before anything is charged', async () => {
    expect(await h.last(ADMIN)).toBe(id.formSet('INVITE', 'email'));
    const b = await funded();
    await h.chat(b, '.buy INVITE');
    expect(await h.last(b)).toBe(said('DETAIL_REQUIRED', { code: 'INVITE', form: 'email' }));
    await h.chat(b, '.buy INVITE bukan-email');
    expect(await h.last(b)).toBe(said('BAD_DETAIL', { code: 'INVITE', form: 'email' }));
    await h.chat(b, '.buy INVITE a@b.com c@d.com');
    expect(await h.last(b)).toBe(said('BAD_DETAIL', { code: 'INVITE', form: 'email' }));
    expect(await balance(b)).toBe(100_000);
  });

  it('paid from the balance: the order waits with its detail, the admins are told; .kirim delivers the text once; the buyer can have it resent', async () => {
    const b = await funded();
    await h.chat(b, '.buy INVITE pembeli@gmail.com');
    const ref = await refIn(b);
    expect(await order(ref)).toEqual({ status: 'paid', detail: 'pembeli@gmail.com', hand_message: null });
    expect(await balance(b)).toBe(100_000 - 15_000);
    expect((await h.sentTo(ADMIN)).some((t) => t.includes(ref) && t.includes('pembeli@gmail.com') && t.includes('.kirim'))).toBe(true);
    await h.chat(ADMIN, `.kirim ${ref} https://spotify.example/invite/ABC\nGabung sebelum besok`);
    expect(await h.last(ADMIN)).toBe(id.handSent(ref));
    expect(await order(ref)).toMatchObject({ status: 'delivered', hand_message: 'https://spotify.example/invite/ABC\nGabung sebelum besok' });
    expect((await h.sentTo(b)).filter((t) => t.includes('https://spotify.example/invite/ABC'))).toHaveLength(1);
    await h.chat(ADMIN, `.kirim ${ref} lagi`);
    expect(await h.last(ADMIN)).toBe(said('NOT_BY_HAND', { orderId: ref }));
    await h.chat(b, `.kirimulang ${ref}`);
    expect((await h.sentTo(b)).filter((t) => t.includes('https://spotify.example/invite/ABC'))).toHaveLength(2);
    // A buyer cannot deliver.
    await h.chat(b, `.kirim ${ref} palsu`);
    expect(await order(ref)).toMatchObject({ hand_message: 'https://spotify.example/invite/ABC\nGabung sebelum besok' });
  });

  it('paid by a payment link: it waits once paid; one still waiting after MANUAL_REMIND_HOURS reminds the admins, once per period; a refund works as for any paid order', async () => {
    const b = buyer();
    await h.chat(b, '.buy INVITE link@mail.com');
    const ref = await refIn(b);
    expect(await store.midtrans.sandbox.setStatus(ref, 'settlement', true)).toBe(200);
    for (let i = 0; i < 40 && (await order(ref)).status !== 'paid'; i++) {
      await h.kedai.settle();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await order(ref)).toMatchObject({ status: 'paid', detail: 'link@mail.com' });
    expect((await h.sentTo(b)).some((t) => t.includes('dikirim manual'))).toBe(true);
    await h.db.query(`UPDATE orders SET paid_at = now() - interval '7 hours' WHERE public_id = $1`, [ref]);
    expect(await remindByHand(h.kedai.deps)).toBe(1);
    expect(await remindByHand(h.kedai.deps)).toBe(0);
    await h.kedai.settle();
    expect((await h.sentTo(ADMIN)).some((t) => t.includes('menunggu lebih dari 6 jam') && t.includes(ref))).toBe(true);
    await refundToBalance(h.kedai.deps, ref);
    expect(await order(ref)).toMatchObject({ status: 'refunded' });
    expect(await balance(b)).toBe(15_000);
  });

  it('.setmanual on a product with stock: paid orders wait for .kirim, no item is taken; a form product with stock is delivered from stock with its detail', async () => {
    await stockProduct(h, 'HANDY', 5_000, ['item-1']);
    await h.chat(ADMIN, '.setmanual HANDY');
    const b = await funded();
    await h.chat(b, '.buy HANDY');
    const ref = await refIn(b);
    expect(await order(ref)).toMatchObject({ status: 'paid' });
    expect(Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'available' AND product_id = (SELECT id FROM products WHERE code = 'HANDY')`)).n)).toBe(1);
    await h.chat(ADMIN, `.kirim ${ref} kode: HANDY-777`);
    expect(await order(ref)).toMatchObject({ status: 'delivered' });
    await h.chat(ADMIN, '.setmanual HANDY off');

    await stockProduct(h, 'FORMSTK', 5_000, ['akun-a']);
    await h.chat(ADMIN, '.setform FORMSTK text');
    await h.chat(b, '.buy FORMSTK username_ku');
    const stocked = await refIn(b);
    expect(await order(stocked)).toMatchObject({ status: 'delivered', detail: 'username_ku' });
    expect(await h.last(b)).toContain('akun-a');
  });
});
