import { DomainError } from '../domain/errors.js';
import { newOrderId } from '../domain/order.js';
import { priceFor } from '../domain/pricing.js';
import { moveOrder, type AppDeps } from './deps.js';
import { underBuyLock } from './buy-lock.js';
import { sendPaymentLink } from './payment-link.js';
import type { Order, Repos, User } from './ports.js';

export type BuyMode = 'auto' | 'gateway';

export interface PlaceOrderInput {
  waId: string;
  name: string;
  code: string;
  qty: number;
  /** auto: pay from the balance when it covers the total (seed `.buy`); gateway: always a link (`.buynow`). */
  mode: BuyMode;
}

export type PlaceOrderResult = { paidBy: 'balance'; order: Order } | { paidBy: 'gateway'; order: Order };

/** Locks the buyer and refuses a second transaction while one is pending (seed rule 1). */
export async function lockBuyer(r: Repos, waId: string, name: string): Promise<User> {
  const user = await r.users.lock((await r.users.upsert(waId, name)).userId);
  const pending = await r.orders.pendingOf(user.userId);
  if (pending) throw new DomainError('TRANSACTION_IN_PROGRESS', { orderId: pending.publicId });
  return user;
}

export const expiryFrom = (deps: AppDeps): Date => new Date(deps.clock.now().getTime() + deps.settings.paymentExpiryMinutes * 60_000);

/**
 * Seed steps 6–9 in one transaction: lock the buyer, check the balance, claim
 * the stock. Paid from the balance, the goods are sold and their message queued
 * in that same transaction; otherwise the order stays pending with its items
 * reserved and a payment link is requested after the commit.
 */
export async function placeOrder(deps: AppDeps, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const { store, texts } = deps;
  const code = input.code.toUpperCase();
  return underBuyLock(deps, input.waId, async (lock) => {
    const placed = await store.transaction(async (r) => {
      const user = await lockBuyer(r, input.waId, input.name);
      const product = await r.products.findForSale(code);
      if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code });
      const unitPrice = priceFor(product, user.role);
      const total = unitPrice * input.qty;
      const byBalance = input.mode === 'auto' && user.balance >= total;
      const order = await r.orders.insert({
        publicId: newOrderId(deps.clock.now(), deps.randomHex()),
        userId: user.userId,
        kind: 'purchase',
        productId: product.productId,
        qty: input.qty,
        unitPrice,
        paymentMethod: byBalance ? 'balance' : 'gateway',
        expiresAt: byBalance ? null : expiryFrom(deps),
      });
      // The claim locks the product's counter row until the commit, so buyers of one
      // product queue there: everything that does not need the items comes before it.
      const left = byBalance ? await r.ledger.append({ userId: user.userId, amount: -total, kind: 'purchase', orderId: order.orderId }) : 0;
      const paid = byBalance ? await moveOrder(r, order, 'paid') : order;
      const items = await r.stock.reserve(product.productId, order.orderId, input.qty);
      // Throwing rolls back the order, the debit and the claim together.
      if (items.length < input.qty) throw new DomainError('SOLD_OUT', { code, available: Math.max(0, product.available) });
      if (!byBalance) return { paidBy: 'gateway' as const, order };

      const sold = await r.stock.markSold(order.orderId);
      await r.outbox.enqueue({
        to: input.waId,
        text: `${texts.delivered(paid, sold)}\n\n${texts.paidByBalance(paid, left)}`,
        kind: 'delivery',
        orderId: order.orderId,
      });
      return { paidBy: 'balance' as const, order: await moveOrder(r, paid, 'delivered') };
    });
    if (placed.paidBy === 'balance') return placed;
    await lock.holdFor(placed.order);
    const order = await sendPaymentLink(deps, placed.order, input.name);
    lock.keep();
    return { paidBy: 'gateway' as const, order };
  });
}
