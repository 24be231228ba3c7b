import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { refundToBalance } from '../src/app/admin.js';
import { settleCommissions } from '../src/app/referral.js';
import { ADMIN, adminSession, concurrentBackend, orderIdIn, said, startKedai, stockProduct, type Harness } from './helpers.js';

const TOKEN = 'referral-test-admin-token-0123456789';

/**
 * Issue #33, referral commission: REFERRAL_PERCENT of each delivered purchase of a referred
 * buyer goes to the referrer once; a refund takes it back as far as the balance allows, the
 * rest owed. Through the chat; the commission worker run by hand; the invariant checker at the end.
 */
describe('referral commission', () => {
  let h: Harness;
  let n = 0;
  const buyer = () => `62872100${String(++n).padStart(4, '0')}`;
  const balance = async (b: string) => Number((await h.one<{ balance: unknown }>('SELECT balance FROM users WHERE wa_id = $1', [b])).balance);
  const codeOf = async (b: string) => {
    await h.chat(b, '.referral');
    return /\*([A-Z0-9]{6,12})\*/.exec(await h.last(b))![1]!;
  };
  const settle = async () => {
    const moved = await settleCommissions(h.kedai.deps);
    await h.kedai.settle();
    return moved;
  };

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { REFERRAL_PERCENT: '10', ADMIN_TOKEN: TOKEN });
    await stockProduct(h, 'REFD', 25_000, ['r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
  });
  afterAll(async () => {
    expect(await verifyInvariants(h.db)).toEqual([]);
    await h?.stop();
  });

  it('a referred buyer\'s delivered purchase pays the referrer 10% once; a deposit earns nothing; a refund takes it back, the rest owed', async () => {
    const [a, b] = [buyer(), buyer()];
    const code = await codeOf(a);
    await h.chat(b, `.ref ${code.toLowerCase()}`);
    expect(await h.last(b)).toContain(a);
    await h.chat(ADMIN, `.addsaldo ${b} 50000`);
    await h.chat(b, '.buy REFD');
    const ref = orderIdIn(await h.last(b));
    expect(await settle()).toBe(1);
    expect(await settle()).toBe(0);
    expect(await balance(a)).toBe(2_500);
    expect((await h.sentTo(a)).some((t) => t.includes('Rp2.500') && t.includes(ref))).toBe(true);
    await h.chat(a, '.referral');
    expect(await h.last(a)).toContain('Rp2.500');
    await h.chat(ADMIN, '.rekap');
    expect(await h.last(ADMIN)).toContain('Komisi referral: 1 pesanan · Rp2.500');
    // The dashboard's buyer page: the referrer's code, friends and commissions.
    expect(await (await adminSession(h, TOKEN))(`/admin/buyers/${a}`)).toContain(`Referral: kode ${code} · mengajak 1 pembeli · 1 komisi, Rp2.500`);
    await h.chat(b, '.deposit 20000');
    await settle();
    expect(await balance(a)).toBe(2_500);
    // The referrer spent part of it: the refund takes back what the balance holds, the rest owed.
    await h.chat(ADMIN, `.minsaldo ${a} 1500`);
    expect(await balance(a)).toBe(1_000);
    await refundToBalance(h.kedai.deps, ref);
    expect(await settle()).toBe(1);
    expect(await balance(a)).toBe(0);
    expect(await h.one('SELECT c.taken_back::int AS taken, c.owed::int AS owed FROM commissions c JOIN orders o ON o.id = c.order_id WHERE o.public_id = $1', [ref])).toEqual({ taken: 1_000, owed: 1_500 });
  });

  it('.ref refuses an own code, a circle, an unknown code, a second join and a buyer who already bought; two at once join once', async () => {
    const [a, b, c] = [buyer(), buyer(), buyer()];
    const codeA = await codeOf(a);
    await h.chat(a, `.ref ${codeA}`);
    expect(await h.last(a)).toBe(said('REF_SELF'));
    await h.chat(b, `.ref ${codeA}`);
    const codeB = await codeOf(b);
    await h.chat(a, `.ref ${codeB}`);
    expect(await h.last(a)).toBe(said('REF_CIRCLE'));
    await h.chat(c, '.ref ZZZZZZ99');
    expect(await h.last(c)).toBe(said('REF_UNKNOWN', { code: 'ZZZZZZ99' }));
    await h.chat(b, `.ref ${codeA}`);
    expect(await h.last(b)).toBe(said('REF_ALREADY'));
    await h.chat(ADMIN, `.addsaldo ${c} 30000`);
    await h.chat(c, '.buy REFD');
    await h.chat(c, `.ref ${codeA}`);
    expect(await h.last(c)).toBe(said('REF_TOO_LATE'));
    const d = buyer();
    await Promise.all([h.chat(d, `.ref ${codeA}`), h.chat(d, `.ref ${codeB}`)]);
    const joined = await h.one<{ referred_by: unknown }>('SELECT referred_by FROM users WHERE wa_id = $1', [d]);
    expect(joined.referred_by).not.toBeNull();
    expect((await h.sentTo(d)).filter((t) => t === said('REF_ALREADY'))).toHaveLength(1);
  });
});
