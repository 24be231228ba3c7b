import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { midtransGateway } from '../src/adapters/midtrans/client.js';
import { MemoryCache, MemoryLock } from '../src/adapters/memory/guards.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { addProduct, addStock, adjustBalance, refundToBalance, setCost } from '../src/app/admin.js';
import { createDeposit } from '../src/app/deposit.js';
import type { AppDeps } from '../src/app/deps.js';
import { placeOrder } from '../src/app/place-order.js';
import type { Order, SupplierReply } from '../src/app/ports.js';
import { settlePaymentEvent } from '../src/app/settle-payment.js';
import { applySupplierReply } from '../src/app/topup.js';
import { composeDeps } from '../src/compose-deps.js';
import { loadConfig } from '../src/config.js';
import { readBuyWords } from '../src/domain/buy-request.js';
import { isDomainError } from '../src/domain/errors.js';
import { newOrderId } from '../src/domain/order.js';
import { createLogger } from '../src/log.js';
import { startFakeMidtrans } from './fakes/midtrans.js';
import { ADMIN, postgres } from './helpers.js';

/*
 * The use cases that move money, called directly (no bot, no HTTP in front of them) on a
 * real PostgreSQL database, with the production Midtrans adapter against the fake that
 * speaks its protocol. Each rule here is also checked end to end elsewhere; these name the
 * use case that keeps it.
 */
describe('the use cases that move money, called directly', () => {
  let made: Awaited<ReturnType<typeof postgres.open>>;
  let midtrans: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let deps: AppDeps;
  const buyerNo = () => `62819${randomBytes(4).readUInt32BE() % 100_000_000}`.padEnd(13, '0');

  beforeAll(async () => {
    made = await postgres.open();
    await migrate(made.db);
    // Nobody listens for the fake's notifications: each test hands the event to the use case itself.
    midtrans = await startFakeMidtrans(() => 'http://127.0.0.1:9/nobody');
    const config = loadConfig({ DATABASE_URL: made.url!, WHATSAPP_TRANSPORT: 'webchat', ADMIN_NUMBERS: ADMIN, ...midtrans.env });
    ({ deps } = composeDeps(config, {
      db: made.db,
      log: createLogger({ level: 'silent', pretty: false }),
      guards: { locks: new MemoryLock(), cache: new MemoryCache() },
      gateway: midtransGateway(config.midtrans),
    }));
  });
  afterAll(async () => {
    expect(await verifyInvariants(made.db)).toEqual([]);
    await midtrans.close();
    await made.drop();
  });

  const balanceOf = async (waId: string) => (await deps.store.autocommit.users.find(waId))?.balance ?? 0;
  const ledgerOf = (order: Order) =>
    made.db.query<{ kind: string; amount: string }>(`SELECT kind, amount::text FROM ledger_entries WHERE order_id = $1 ORDER BY id`, [order.orderId]);
  /** A stock purchase: never asked to confirm, so always an order. */
  const buy = async (waId: string, code: string, words: string[] = [], mode: 'auto' | 'gateway' = 'auto') => {
    const placed = await placeOrder(deps, { waId, name: '', code, mode, words: readBuyWords(words, mode === 'auto' ? 'buy' : 'buynow') });
    if (placed.paidBy === 'confirm') throw new Error('a stock purchase was asked to confirm');
    return placed;
  };
  /** The gateway's status as the notification and the re-check report it, handed to the use case as the worker would. */
  async function notify(order: Order, status: string) {
    await midtrans.sandbox.setStatus(order.publicId, status, false);
    const record = { gateway: 'midtrans', orderRef: order.publicId, transactionId: `tx-${order.publicId}`, transactionStatus: status, fraudStatus: null, grossAmount: String(order.total), raw: {} };
    await deps.paymentEvents.store(record);
    const events = (await deps.paymentEvents.claim(10, 60)).filter((e) => e.orderRef === order.publicId);
    return Promise.all(events.map((e) => settlePaymentEvent(deps, e)));
  }

  it('placeOrder from the balance: debited once with the goods and their message in one transaction; racing buyers for the last items get them or SOLD_OUT, never both, and keep their money', async () => {
    const code = `USE${randomBytes(2).toString('hex').toUpperCase()}`;
    await addProduct(deps, { code, name: 'Akun', price: 10_000, description: '' });
    await addStock(deps, code, ['K-1', 'K-2']);
    const buyers = Array.from({ length: 5 }, buyerNo);
    for (const b of buyers) await adjustBalance(deps, b, 25_000, 'test');
    const results = await Promise.allSettled(buyers.map((b) => buy(b, code)));
    const sold = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(sold).toHaveLength(2);
    expect(refused.map((r) => (isDomainError(r.reason) ? r.reason.code : String(r.reason)))).toEqual(['SOLD_OUT', 'SOLD_OUT', 'SOLD_OUT']);
    const balances = await Promise.all(buyers.map(balanceOf));
    expect(balances.sort()).toEqual([15_000, 15_000, 25_000, 25_000, 25_000]);
    for (const r of sold) {
      const { order } = (r as PromiseFulfilledResult<Awaited<ReturnType<typeof buy>>>).value;
      expect(order.status).toBe('delivered');
      expect(await ledgerOf(order)).toEqual([{ kind: 'purchase', amount: '-10000' }]);
      const [message] = await made.db.query<{ body: string }>(`SELECT body FROM outbox WHERE order_id = $1 AND kind = 'delivery'`, [order.orderId]);
      expect(message?.body).toMatch(/K-[12]/);
    }
  });

  it('profit counts the cost a stock product had when each order was placed (.setmodal), on the one-statement path and the general one', async () => {
    const code = `COST${randomBytes(2).toString('hex').toUpperCase()}`;
    await addProduct(deps, { code, name: 'Akun', price: 10_000, description: '' });
    await addStock(deps, code, ['C-1', 'C-2', 'C-3']);
    const since = new Date(Date.now() - 1_000);
    const b = buyerNo();
    await adjustBalance(deps, b, 50_000, 'test');
    const before = await deps.store.autocommit.reports.sales(since);
    await setCost(deps, code, 6_000);
    await buy(b, code); // one statement
    await setCost(deps, code, 7_000);
    await buy(b, code, ['2']);
    const after = await deps.store.autocommit.reports.sales(since);
    expect(after.costedRevenue - before.costedRevenue).toBe(30_000);
    expect(after.profit - before.profit).toBe(10_000 - 6_000 + 20_000 - 14_000);
    // The reports' top products: its profit column.
    expect(after.top.find((x) => x.code === code)).toMatchObject({ qty: 3, revenue: 30_000, profit: 10_000 });
    // Unknown again: later orders count no profit.
    await setCost(deps, code, null);
    await expect(setCost(deps, 'NOPE-NOPE', 1)).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCT' });
  });

  it('refundToBalance: the total back once; a second refund of the same order is refused and changes nothing', async () => {
    const code = `REF${randomBytes(2).toString('hex').toUpperCase()}`;
    await addProduct(deps, { code, name: 'Akun', price: 7_000, description: '' });
    await addStock(deps, code, ['R-1']);
    const b = buyerNo();
    await adjustBalance(deps, b, 10_000, 'test');
    const { order } = await buy(b, code);
    expect(await refundToBalance(deps, order.publicId)).toBe(10_000);
    await expect(refundToBalance(deps, order.publicId)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await balanceOf(b)).toBe(10_000);
    expect(await ledgerOf(order)).toEqual([
      { kind: 'purchase', amount: '-7000' },
      { kind: 'refund', amount: '7000' },
    ]);
  });

  it('settlePaymentEvent: a paid link delivers once however often its event comes; a bank reversal after it takes back what the balance allows, records the rest as owed and holds the buyer', async () => {
    const code = `PAY${randomBytes(2).toString('hex').toUpperCase()}`;
    await addProduct(deps, { code, name: 'Akun', price: 12_000, description: '' });
    await addStock(deps, code, ['P-1', 'P-2']);
    const b = buyerNo();
    const { order } = await buy(b, code, [], 'gateway');
    expect(order.status).toBe('pending');
    expect((await notify(order, 'settlement')).map((r) => r.done && r.result)).toEqual(['applied']);
    // The same status again (a repeated notification): nothing more happens.
    await notify(order, 'settlement');
    expect((await deps.store.autocommit.orders.findByPublicId(order.publicId))?.status).toBe('delivered');
    expect(await made.db.query(`SELECT 1 FROM outbox WHERE order_id = $1 AND kind = 'delivery'`, [order.orderId])).toHaveLength(1);

    // A deposit paid, spent in part, then denied by the bank: what is left is taken back, the rest owed.
    const deposit = await createDeposit(deps, { waId: b, name: '', amount: 50_000 });
    await notify(deposit, 'settlement');
    expect(await balanceOf(b)).toBe(50_000);
    await adjustBalance(deps, b, -30_000, 'spent meanwhile');
    await notify(deposit, 'deny');
    const reversed = (await deps.store.autocommit.orders.findByPublicId(deposit.publicId))!;
    expect([reversed.status, reversed.owed]).toEqual(['reversed', 30_000]);
    expect(await balanceOf(b)).toBe(0);
    expect((await deps.store.autocommit.users.find(b))?.heldReason).toBe(deposit.publicId);
    await expect(buy(b, code)).rejects.toMatchObject({ code: 'ACCOUNT_HELD' });
  });

  it('applySupplierReply: a failure on the first call refunds once, the same reply again changes nothing; a refusal on a re-check refunds nothing', async () => {
    const b = buyerNo();
    await adjustBalance(deps, b, 40_000, 'test');
    const [product] = await made.db.query<{ id: string }>(`INSERT INTO products (code, name, price) VALUES ($1, 'Pulsa', 11000) RETURNING id`, [`TOP${randomBytes(2).toString('hex').toUpperCase()}`]);
    /** A top-up paid from the balance and handed to the supplier, as placeOrder leaves it. */
    const paidTopup = () =>
      deps.store.transaction(async (r) => {
        const user = await r.users.upsert(b, '');
        const order = await r.orders.insert({
          publicId: newOrderId(new Date(), randomBytes(4).toString('hex')),
          userId: user.userId,
          kind: 'purchase',
          productId: product!.id,
          qty: 1,
          unitPrice: 11_000,
          paymentMethod: 'balance',
          expiresAt: null,
          status: 'paid',
          target: '087800001230',
          soldAs: { supplier: 'digiflazz', sku: 'xld10', cost: 10_200 },
        });
        await r.ledger.append({ userId: user.userId, amount: -11_000, kind: 'purchase', orderId: order.orderId });
        await r.supplier.create({ orderId: order.orderId, supplier: 'digiflazz', refId: order.publicId, sku: 'xld10', customerNo: '087800001230', maxPrice: 10_200, postpaid: false });
        return order;
      });
    const failed: SupplierReply = { outcome: 'failed', rc: '02', message: 'Transaksi Gagal', sn: null, price: null, balance: null, raw: {} };

    const first = await paidTopup();
    expect(await balanceOf(b)).toBe(29_000);
    expect(await applySupplierReply(deps, first.publicId, failed, { called: true, recheck: false })).toBe('refunded');
    expect(await applySupplierReply(deps, first.publicId, failed, { called: true, recheck: true })).toBe('unchanged');
    expect(await balanceOf(b)).toBe(40_000);
    expect(await ledgerOf(first)).toEqual([
      { kind: 'purchase', amount: '-11000' },
      { kind: 'refund', amount: '11000' },
    ]);

    // Refused before the supplier looked (rc 45, the store's IP), on a re-check: the transaction may exist; nothing refunded.
    const second = await paidTopup();
    const refused: SupplierReply = { ...failed, rc: '45', refused: true, message: 'IP tidak dikenali' };
    expect(await applySupplierReply(deps, second.publicId, refused, { called: true, recheck: true })).not.toBe('refunded');
    expect((await deps.store.autocommit.orders.findByPublicId(second.publicId))?.status).toBe('paid');
    expect(await balanceOf(b)).toBe(29_000);
  });
});
