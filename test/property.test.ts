import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { ADMIN, concurrentBackend, startKedai, stockProduct, type Harness } from './helpers.js';

const BUYERS = ['6289700000001', '6289700000002', '6289700000003'];
const PRODUCTS = ['PA', 'PB'];

type Action =
  | { kind: 'buy' | 'buynow'; buyer: number; product: number; qty: number; voucher: string | null }
  | { kind: 'deposit'; buyer: number; amount: number }
  | { kind: 'settle' | 'duplicate' | 'expire' | 'cancelGateway'; buyer: number }
  | { kind: 'batal'; buyer: number }
  | { kind: 'restock'; product: number; count: number }
  | { kind: 'adjust'; buyer: number; amount: number };

const buyer = fc.integer({ min: 0, max: BUYERS.length - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('buy' as const, 'buynow' as const),
    buyer,
    product: fc.integer({ min: 0, max: 1 }),
    qty: fc.integer({ min: 1, max: 3 }),
    voucher: fc.constantFrom(null, 'PROMO'),
  }),
  fc.record({ kind: fc.constant('deposit' as const), buyer, amount: fc.integer({ min: 1, max: 20 }).map((n) => n * 1_000) }),
  fc.record({ kind: fc.constantFrom('settle' as const, 'duplicate' as const, 'expire' as const, 'cancelGateway' as const), buyer }),
  fc.record({ kind: fc.constant('batal' as const), buyer }),
  fc.record({ kind: fc.constant('restock' as const), product: fc.integer({ min: 0, max: 1 }), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('adjust' as const), buyer, amount: fc.integer({ min: -15, max: 15 }).filter((n) => n !== 0).map((n) => n * 1_000) }),
);

/**
 * Random interleavings of buys (some with a voucher), settlements (also repeated and out of order),
 * expiries, cancels, restocks and balance adjustments across three buyers, some
 * of them concurrent: after every run the invariant checker finds nothing.
 */
describe(`random interleavings keep the invariants (${concurrentBackend.name})`, () => {
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    h = await startKedai(concurrentBackend);
    for (const [i, code] of PRODUCTS.entries()) await stockProduct(h, code, (i + 1) * 5_000, [`${code}-seed-1`, `${code}-seed-2`]);
    await h.chat(ADMIN, '.addvoucher PROMO 20% 2'); // scarce, so buyers race for it and expiries give it back
  });
  afterAll(async () => h?.stop());

  const pendingOf = async (waId: string) =>
    (
      await h.db.query<{ public_id: string }>(
        `SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.status = 'pending'`,
        [waId],
      )
    )[0]?.public_id;
  /** The newest order of a buyer that the sandbox knows (pending or not: late notifications are part of the game). */
  const lastGatewayOrder = async (waId: string) =>
    (
      await h.db.query<{ public_id: string }>(
        `SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.payment_method = 'gateway' ORDER BY o.id DESC LIMIT 1`,
        [waId],
      )
    )[0]?.public_id;

  async function run(a: Action): Promise<void> {
    const send = (from: string, text: string) => h.post('/chat/api/send', { from, text });
    switch (a.kind) {
      case 'buy':
      case 'buynow':
        await send(BUYERS[a.buyer]!, `.${a.kind} ${PRODUCTS[a.product]} ${a.qty}${a.voucher ? ` ${a.voucher}` : ''}`);
        return;
      case 'deposit':
        await send(BUYERS[a.buyer]!, `.deposit ${a.amount}`);
        return;
      case 'batal':
        await send(BUYERS[a.buyer]!, '.batal');
        return;
      case 'restock':
        await send(ADMIN, `.addstok ${PRODUCTS[a.product]}\n${Array.from({ length: a.count }, () => `${PRODUCTS[a.product]}-r${++seq}`).join('\n')}`);
        return;
      case 'adjust':
        await send(ADMIN, `.${a.amount > 0 ? 'addsaldo' : 'minsaldo'} ${BUYERS[a.buyer]} ${Math.abs(a.amount)}`);
        return;
      default: {
        await h.kedai.bot.idle();
        const orderId = a.kind === 'settle' || a.kind === 'expire' ? ((await pendingOf(BUYERS[a.buyer]!)) ?? (await lastGatewayOrder(BUYERS[a.buyer]!))) : await lastGatewayOrder(BUYERS[a.buyer]!);
        const tx = orderId ? h.kedai.sandbox!.transactions.get(orderId) : undefined;
        if (!orderId || !tx) return;
        if (a.kind === 'duplicate') {
          await h.post('/webhooks/midtrans', h.kedai.sandbox!.notification(orderId));
          return;
        }
        const status = { settle: 'settlement', expire: 'expire', cancelGateway: 'cancel' }[a.kind];
        await h.kedai.sandbox!.setStatus(orderId, status);
      }
    }
  }

  it('after every run of random actions (some concurrent), the invariant checker passes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(action, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), async (rounds) => {
        for (const round of rounds) await Promise.all(round.map(run)); // actions of a round race each other
        await h.kedai.settle();
        const violations = await verifyInvariants(h.db);
        expect(violations).toEqual([]);
      }),
      { numRuns: 40 },
    );
    // The runs did exercise the store: orders ended in several states.
    const states = await h.db.query<{ status: string }>('SELECT DISTINCT status FROM orders');
    expect(states.length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('the checker does find a broken state (an order closed without releasing its items)', async () => {
    await h.post('/chat/api/send', { from: '6289700000009', text: '.restock' });
    await h.chat(ADMIN, '.addstok PA\nPA-broken');
    await h.chat('6289700000009', '.buynow PA');
    const [order] = await h.db.query<{ id: unknown }>(`SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = '6289700000009' AND o.status = 'pending'`);
    await h.db.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [order!.id]);
    const found = (await verifyInvariants(h.db)).map((v) => v.invariant);
    expect(found).toEqual(['a reserved item belongs to a pending order', 'an unpaid order that closed holds no items']);
    // Put it back the way the store would: pending again, then cancelled by the buyer.
    await h.db.query(`UPDATE orders SET status = 'pending' WHERE id = $1`, [order!.id]);
    await h.chat('6289700000009', '.batal');
    expect(await verifyInvariants(h.db)).toEqual([]);
  });
});
