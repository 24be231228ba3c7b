import { waitForHand } from './by-hand.js';
import { DomainError } from '../domain/errors.js';
import { newOrderId } from '../domain/order.js';
import { priceFor } from '../domain/pricing.js';
import type { AppDeps } from './deps.js';
import { alertLowStock, crossesLowStock } from './order-lifecycle.js';
import { moveOrder, notifyAdmins } from './order-moves.js';
import { CACHE } from './cache-aside.js';
import { formatRupiah } from '../domain/money.js';
import { underBuyLock } from './buy-lock.js';
import { sendPaymentLink } from './payment-link.js';
import { takeVoucher, voucherFor } from './vouchers.js';
import type { Confirmation, HeldLock, Order, ProductWithStock, Repos, User } from './ports.js';
import { handOver, sellsBelowCost, soldAsOf, topupRefusal } from './topup.js';
import { plainQty, requestFor, type BuyWords } from '../domain/buy-request.js';
import { checkTarget, shownTarget } from '../domain/topup.js';
import { askToConfirm, destinationCheck, TargetToCheck } from './destination-check.js';
import { periodStart } from './reports.js';

export type BuyMode = 'auto' | 'gateway';

export interface PlaceOrderInput {
  waId: string;
  name: string;
  code: string;
  /** auto: pay from the balance when it covers the total (`.buy`); gateway: always a link (`.buynow`). */
  mode: BuyMode;
  /**
   * The words the buyer typed after the code, read once (`readBuyWords`) as each kind of
   * product takes them: the product, read under the order's lock, picks its reading.
   */
  words: BuyWords;
  /** The buy lock, when it was taken with the rate-limit hit. */
  lock?: HeldLock;
  /** `.ya`: the buyer confirmed the destination they were shown; the question is taken with the order. */
  confirmed?: boolean;
}

export type PlaceOrderResult = { paidBy: 'balance'; order: Order } | { paidBy: 'gateway'; order: Order } | { paidBy: 'confirm'; asked: Confirmation };

/** Locks the buyer and refuses a second transaction while one is pending: one transaction per buyer at a time. */
export async function lockBuyer(r: Repos, waId: string, name: string): Promise<User> {
  // The upsert's ON CONFLICT DO UPDATE locks the row until the commit: no separate SELECT … FOR UPDATE.
  const user = await r.users.upsert(waId, name);
  // A buyer whose payment the bank reversed buys again once an admin decided (.lepas).
  if (user.heldReason !== null) throw new DomainError('ACCOUNT_HELD', { orderId: user.heldReason });
  const pending = await r.orders.pendingOf(user.userId);
  if (pending) throw new DomainError('TRANSACTION_IN_PROGRESS', { orderId: pending.publicId });
  return user;
}

/** A `multi:false` supplier product serves a destination once a day (WIB): a repeat is refused before payment, not failed after it. */
async function refuseRepeat(deps: AppDeps, r: Repos, product: ProductWithStock, target: string): Promise<void> {
  const earlier = await r.orders.repeatTopup(product.supplierSku!, target, periodStart('today', deps.clock.now()));
  if (earlier) throw new DomainError('TOPUP_REPEAT', { code: product.code, target, orderId: earlier.publicId });
}

/** Stand-ins in the delivery text that the database fills in (migration 020): numbers no order reaches. */
const TOTAL = 987_654_321_981;
const LEFT = 987_654_321_987;
const NAME = '\u2063name\u2063';

/**
 * `.buy CODE [QTY]` of a stock product from a balance that covers it, without a voucher:
 * one statement (migration 020), the delivery text written here with stand-ins for what
 * only the database knows (the product's name, the buyer's total, the balance left).
 * null sends the caller down the general path (a voucher, a top-up, a balance too small,
 * words that are not `[QTY]`), which answers every other refusal as it always did.
 */
async function buyQuickly(deps: AppDeps, input: PlaceOrderInput, code: string): Promise<PlaceOrderResult | null> {
  const qty = plainQty(input.words);
  if (qty === null) return null;
  const now = deps.clock.now();
  const order: Order = {
    orderId: '',
    publicId: newOrderId(now, deps.randomHex()),
    userId: '',
    waId: input.waId,
    kind: 'purchase',
    productId: null,
    productCode: code,
    productName: NAME,
    qty,
    unitPrice: 0,
    total: TOTAL,
    discount: 0,
    voucherCode: null,
    paymentMethod: 'balance',
    status: 'delivered',
    paymentUrl: null,
    paymentQr: null,
    expiresAt: null,
    createdAt: now,
    reviewSince: null,
    owed: 0,
    target: null,
    targetShown: null,
    soldAs: null,
  };
  const [before, after, ...rest] = deps.texts.delivered(order, [{ stockItemId: '', payload: ITEMS }]).split(ITEMS);
  if (after === undefined || rest.length) throw new Error('the delivery text must list the items exactly once');
  const outcome = await deps.store.autocommit.orders.buyWithBalance({
    waId: input.waId,
    name: input.name,
    code,
    qty,
    publicId: order.publicId,
    before: before!,
    after: `${after}\n\n${deps.texts.paidByBalance(order, LEFT)}`,
    tokens: { name: NAME, total: formatRupiah(TOTAL), left: formatRupiah(LEFT) },
  });
  switch (outcome.result) {
    case 'ok': {
      await deps.cache.invalidate([CACHE.profile.key(input.waId), CACHE.catalogue.key]);
      if (crossesLowStock(deps, outcome.remaining, qty)) {
        await deps.store.transaction((r) => notifyAdmins(deps, r, deps.texts.adminLowStock(code, outcome.productName, outcome.remaining)));
      }
      const sold = { ...order, orderId: outcome.orderId, productId: outcome.productId, productName: outcome.productName, unitPrice: outcome.unitPrice, total: outcome.unitPrice * qty };
      return { paidBy: 'balance', order: sold };
    }
    case 'held':
      throw new DomainError('ACCOUNT_HELD', { orderId: outcome.reason });
    case 'in_progress':
      throw new DomainError('TRANSACTION_IN_PROGRESS', { orderId: outcome.orderId });
    case 'sold_out':
      throw soldOut(code, outcome.available, qty);
    default:
      return null;
  }
}

/** Sold out, or fewer left than asked. A count read before the claim lost a race can be stale: then none are left. */
const soldOut = (code: string, available: number, asked = 1) => new DomainError('SOLD_OUT', { code, available: available >= asked ? 0 : Math.max(0, available), asked });
/** Stands for the items in a rendered delivery message; the database puts them in its place. */
const ITEMS = '\u0000items\u0000';

export const expiryFrom = (deps: AppDeps): Date => new Date(deps.clock.now().getTime() + deps.settings.paymentExpiryMinutes * 60_000);

/**
 * One transaction (docs/flow.md, step 6): lock the buyer, check the balance, claim
 * the stock. Paid from the balance, the goods are sold and their message queued
 * in that same transaction; otherwise the order stays pending with its items
 * reserved and a payment link is requested after the commit.
 */
export async function placeOrder(deps: AppDeps, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const { store, texts } = deps;
  const code = input.code.toUpperCase();
  return underBuyLock(
    deps,
    input.waId,
    async (lock) => {
      // The common case in one round trip; anything it does not cover takes the general path below.
      const quick = input.mode === 'auto' ? await buyQuickly(deps, input, code) : null;
      if (quick) return quick;
      const place = () => store.transaction(async (r) => {
        const user = await lockBuyer(r, input.waId, input.name);
        // The product this order decides on: read here, once, under the buyer's lock.
        const product = await r.products.findForSale(code);
        if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code });
        // A bill is asked for and confirmed (`.tagihan`, `.ya`), never bought blind.
        if (product.offer?.postpaid) throw new DomainError('BILL_PRODUCT', { code });
        const unitPrice = priceFor(product, user.role);
        if (product.supplierSku) {
          const why = topupRefusal(deps, product, unitPrice);
          if (why) throw new DomainError('TOPUP_UNAVAILABLE', { code: product.code, why });
        }
        const asked = requestFor(input.words, product);
        // Fulfilled by hand: no stock is claimed; once paid, the order waits for an admin's `.kirim`.
        const byHand = asked.kind === 'stock' && product.byHand === true;
        const [qty, voucher, written] = asked.kind === 'stock' ? [asked.qty, asked.voucher, undefined] : [1, asked.voucher, asked.target];
        const zoneLength = asked.kind === 'topup' ? (asked.zoneLength ?? null) : null;
        // A destination that cannot be one for this product (a 4-digit phone number) is refused before any payment.
        const target = written === undefined ? undefined : (checkTarget(product.offer?.targetKind ?? 'other', written, zoneLength) ?? undefined);
        if (written !== undefined && target === undefined) {
          throw new DomainError('TOPUP_TARGET', { code: product.code, command: input.words.command, kind: product.offer?.targetKind ?? 'other', target: shownTarget(written, zoneLength) });
        }
        if (target !== undefined && product.offer?.multi === false) await refuseRepeat(deps, r, product, target);
        const subtotal = unitPrice * qty;
        const offer = voucher ? await voucherFor(deps, r, voucher, user.userId, subtotal) : null;
        const total = subtotal - (offer?.discount ?? 0);
        if (target !== undefined && !input.confirmed) {
          const check = destinationCheck(deps, product);
          if (check) throw new TargetToCheck(check.what, check.game, product, target, zoneLength, total, offer?.voucher.code ?? null);
        }
        if (target !== undefined && input.confirmed) {
          // The question is used up with the order (two `.ya` place one); what was shown is what is charged.
          const asked = await r.confirmations.take(input.waId);
          if (!asked || asked.kind !== 'topup' || asked.productCode !== product.code || asked.target !== target) throw new DomainError('NOTHING_TO_CONFIRM');
          if (asked.total !== total) throw new DomainError('PRICE_CHANGED', { code: product.code, total });
        }
        // What a top-up is sold as is fixed now: paid later, it is still bought as this SKU, at most this cost.
        const soldAs = target !== undefined ? soldAsOf(deps, product) : null;
        if (soldAs && total < soldAs.cost && !sellsBelowCost(deps)) throw new DomainError('TOPUP_BELOW_COST', { code, voucher: offer?.voucher.code ?? '' });
        const byBalance = input.mode === 'auto' && user.balance >= total;
        const order = await r.orders.insert({
          publicId: newOrderId(deps.clock.now(), deps.randomHex()),
          userId: user.userId,
          kind: 'purchase',
          productId: product.productId,
          qty,
          unitPrice,
          paymentMethod: byBalance ? 'balance' : 'gateway',
          expiresAt: byBalance ? null : expiryFrom(deps),
          status: byBalance ? 'paid' : 'pending',
          discount: offer?.discount ?? 0,
          voucherCode: offer?.voucher.code ?? null,
          target: target ?? null,
          targetZoneLength: zoneLength,
          soldAs,
          detail: asked.kind === 'stock' ? (asked.detail ?? null) : null,
          byHand,
        });
        // Before the stock claim, so buyers of one product do not wait behind a voucher's row lock,
        // and in the order every path locks the two: the voucher (an order closing gives its use
        // back), then the product (its stock goes back on sale). Never the other way round.
        if (offer) await takeVoucher(r, offer.voucher, user.userId, order.orderId);
        if (target !== undefined) {
          // A top-up has no stock: paid from the balance, it goes to the supplier in this transaction.
          if (!byBalance) return { paidBy: 'gateway' as const, order };
          await r.ledger.append({ userId: user.userId, amount: -total, kind: 'purchase', orderId: order.orderId });
          await handOver(deps, r, order);
          return { paidBy: 'balance' as const, order, topup: true };
        }
        if (byHand) {
          if (!byBalance) return { paidBy: 'gateway' as const, order };
          await r.ledger.append({ userId: user.userId, amount: -total, kind: 'purchase', orderId: order.orderId });
          await waitForHand(deps, r, order);
          return { paidBy: 'balance' as const, order };
        }
        if (!byBalance) {
          const claim = await r.stock.reserve(product.productId, order.orderId, qty);
          // Throwing rolls back the order and the claim together.
          if (claim.items.length < qty) throw soldOut(code, product.available, qty);
          await alertLowStock(deps, r, product, claim, qty);
          return { paidBy: 'gateway' as const, order };
        }
        // The claim locks the product's counter row until the commit, so buyers of one
        // product queue there: everything that does not need the items comes before it
        // (the rule that a delivered order has its message is checked at the commit).
        const left = await r.ledger.append({ userId: user.userId, amount: -total, kind: 'purchase', orderId: order.orderId });
        const delivered = await moveOrder(r, order, 'delivered');
        const [before, after, ...rest] = texts.delivered(delivered, [{ stockItemId: '', payload: ITEMS }]).split(ITEMS);
        if (after === undefined || rest.length) throw new Error('the delivery text must list the items exactly once');
        const sold = await r.stock.sell(product.productId, order.orderId, qty, {
          to: input.waId,
          before: before!,
          after: `${after}\n\n${texts.paidByBalance(delivered, left)}`,
        });
        // Throwing rolls back the order, the debit and the claim together.
        if (sold.items.length < qty) throw soldOut(code, product.available, qty);
        await alertLowStock(deps, r, product, sold, qty);
        return { paidBy: 'balance' as const, order: delivered };
      });
      const placed = await place().catch(async (err: unknown) => {
        if (!(err instanceof TargetToCheck)) throw err;
        return { paidBy: 'confirm' as const, asked: await askToConfirm(deps, { waId: input.waId, mode: input.mode }, err) };
      });
      if (placed.paidBy === 'confirm') return placed;
      if (placed.paidBy === 'balance') {
        if ('topup' in placed) deps.wakeSupplier();
        return { paidBy: 'balance' as const, order: placed.order };
      }
      await lock.holdFor(placed.order);
      const order = await sendPaymentLink(deps, placed.order, input.name);
      lock.keep();
      return { paidBy: 'gateway' as const, order };
    },
    input.lock,
  );
}
