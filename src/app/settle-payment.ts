import { outcomeOf, type PaymentOutcome } from '../domain/payment.js';
import { assertTransition, canTransition } from '../domain/order.js';
import { releaseBuyLock } from './buy-lock.js';
import { alertLowStock, moveOrder, notifyAdmins, type AppDeps } from './deps.js';
import type { EventFlag, InboxEvent, Order, Repos } from './ports.js';

/** After this many attempts without the gateway confirming the status, the event is set aside (flagged). */
const MAX_UNCONFIRMED_ATTEMPTS = 8;

export type EventResult =
  | { done: true; result: 'applied' | 'already_applied' | EventFlag }
  | { done: false; reason: string };

const sameAmount = (gross: string, total: number) => Number(gross) === total;
const FINAL: readonly PaymentOutcome[] = ['paid', 'expired', 'cancelled', 'failed', 'refunded'];

/**
 * Applies one stored notification (the webhook verified its
 * signature and stored it). The amount is checked against the order and the
 * status confirmed with the gateway, whose answer decides, not the POST body.
 * Marking the event applied and changing the order happen in one transaction,
 * so an event has its effect exactly once however often it is retried or
 * repeated; `done: false` (or a throw) leaves it for a later attempt.
 */
export async function applyInboxEvent(deps: AppDeps, e: InboxEvent): Promise<EventResult> {
  const { store, gateway, log } = deps;
  const order = await store.read.orders.findByPublicId(e.orderRef);
  if (!order) {
    await store.read.payments.markApplied(e.eventId, 'ignore', null, 'unknown_order');
    log.warn({ orderId: e.orderRef, status: e.transactionStatus }, 'payment notification for an unknown order: stored and flagged');
    return { done: true, result: 'unknown_order' };
  }
  if (!sameAmount(e.grossAmount, order.total)) {
    await store.read.payments.markApplied(e.eventId, 'ignore', order.orderId, 'amount_mismatch');
    log.warn({ orderId: e.orderRef, gross: e.grossAmount, total: order.total }, 'payment notification amount does not match the order: flagged');
    return { done: true, result: 'amount_mismatch' };
  }
  const confirmed = await gateway.getStatus(e.orderRef);
  if (!confirmed || confirmed.orderId !== e.orderRef || !sameAmount(confirmed.grossAmount, order.total)) {
    if (e.attempts < MAX_UNCONFIRMED_ATTEMPTS) return { done: false, reason: 'status not confirmed by the gateway yet' };
    await store.read.payments.markApplied(e.eventId, 'ignore', order.orderId, 'unconfirmed');
    log.warn({ orderId: e.orderRef }, 'payment notification never confirmed by the gateway: flagged');
    return { done: true, result: 'unconfirmed' };
  }
  const outcome = outcomeOf(confirmed.transactionStatus, confirmed.fraudStatus ?? undefined);
  const applied = await store.transaction(async (r) => {
    if (!(await r.payments.markApplied(e.eventId, outcome, order.orderId))) return false;
    const locked = (await r.orders.lockByPublicId(e.orderRef))!;
    await applyOutcome(deps, r, locked, outcome, confirmed.transactionStatus);
    log.info({ orderId: e.orderRef, outcome, from: locked.status }, 'payment event applied');
    return true;
  });
  // The order is no longer pending, so its buyer may buy again: the buy lock goes.
  if (FINAL.includes(outcome)) await releaseBuyLock(deps, order);
  return { done: true, result: applied ? 'applied' : 'already_applied' };
}

async function applyOutcome(
  deps: AppDeps,
  r: Repos,
  order: Order,
  outcome: PaymentOutcome,
  gatewayStatus: string,
): Promise<void> {
  switch (outcome) {
    case 'paid':
      if (order.status === 'pending') return fulfil(deps, r, await moveOrder(r, order, 'paid'));
      if (order.status === 'expired' || order.status === 'cancelled' || order.status === 'failed') {
        return fulfilLate(deps, r, await moveOrder(r, order, 'paid'));
      }
      return; // already paid: a repeated or reordered settlement changes nothing
    case 'expired':
    case 'cancelled':
    case 'failed':
      if (order.status !== 'pending') {
        // The bank took a settled payment back (Permata VA, Mandiri Bill, Indomaret: settlement → deny).
        if (outcome !== 'expired' && order.paymentMethod === 'gateway' && canTransition(order.status, 'reversed')) await reverse(deps, r, order, gatewayStatus);
        return; // otherwise a late or reordered event: never move a closed order
      }
      await moveOrder(r, order, outcome);
      await r.stock.release(order.orderId);
      await r.outbox.enqueue({ to: order.waId, text: deps.texts.orderClosed(order, outcome), kind: 'notice', orderId: order.orderId });
      return;
    case 'refunded':
      // Money went back at the gateway. A full refund or chargeback is recorded on the order
      // (delivered goods cannot be taken back: a person decides the rest); a partial one stays an event.
      if (!gatewayStatus.startsWith('partial_') && (order.status === 'paid' || order.status === 'delivered')) {
        await moveOrder(r, order, 'refunded');
      }
      await notifyAdmins(deps, r, deps.texts.adminRefund(order, gatewayStatus), order.orderId);
      return;
    case 'review':
      // A card payment held for fraud review: only the seller can accept or deny it in the Midtrans
      // dashboard. The order stays pending with its items reserved, and the sweeper leaves it alone.
      if (order.status === 'pending' && (await r.orders.markReview(order.orderId))) {
        await notifyAdmins(deps, r, deps.texts.adminChallenge(order), order.orderId);
        await r.outbox.enqueue({ to: order.waId, text: deps.texts.paymentInReview(order), kind: 'notice', orderId: order.orderId });
      }
      return;
    case 'waiting':
      return;
    case 'ignore':
      return;
  }
}

/**
 * A reversal: the money went back to the buyer after the order was paid. What the
 * order credited to the balance (a deposit, a late payment's credit) is taken back
 * as far as the balance allows, the rest is recorded as owed, the buyer's further
 * purchases wait for an admin, and the admins hear at once what had been delivered.
 */
async function reverse(deps: AppDeps, r: Repos, order: Order, gatewayStatus: string): Promise<void> {
  assertTransition(order.status, 'reversed');
  const user = await r.users.lock(order.userId);
  const taken = Math.min(await r.ledger.creditedBy(order.orderId), user.balance);
  if (taken > 0) await r.ledger.append({ userId: order.userId, amount: -taken, kind: 'reversal', orderId: order.orderId, note: `midtrans ${gatewayStatus}` });
  const owed = Math.max(0, order.total - taken);
  if (!(await r.orders.reverse(order.orderId, [order.status], owed))) return;
  await r.users.hold(order.userId, order.publicId);
  const items = order.kind === 'purchase' ? (await r.stock.itemsOf(order.orderId)).map((i) => i.payload) : [];
  await notifyAdmins(deps, r, deps.texts.adminReversal(order, { gatewayStatus, taken, owed, items }), order.orderId);
  await r.outbox.enqueue({ to: order.waId, text: deps.texts.paymentReversed(order, taken, owed), kind: 'notice', orderId: order.orderId });
  deps.log.warn({ orderId: order.publicId, gatewayStatus, taken, owed }, 'payment reversed after settlement');
}

/** Paid in time: the reserved items are sold, or the deposit credited, and the message queued. */
async function fulfil(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  const { texts } = deps;
  if (order.kind === 'deposit') {
    const balance = await r.ledger.append({ userId: order.userId, amount: order.total, kind: 'deposit', orderId: order.orderId });
    await r.outbox.enqueue({ to: order.waId, text: texts.depositCredited(order, balance), kind: 'notice', orderId: order.orderId });
    await moveOrder(r, order, 'delivered');
    return;
  }
  const sold = await r.stock.markSold(order.orderId);
  if (sold.length !== order.qty) throw new Error(`order ${order.publicId} had ${sold.length} of ${order.qty} items reserved`);
  await r.outbox.enqueue({ to: order.waId, text: texts.delivered(order, sold), kind: 'delivery', orderId: order.orderId });
  await moveOrder(r, order, 'delivered');
}

/**
 * Paid after the order closed and its items went back on sale: deliver when the
 * stock is still there, otherwise credit the money to the buyer's balance.
 */
async function fulfilLate(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  const { texts } = deps;
  if (order.kind === 'purchase' && order.productId) {
    const claim = await r.stock.reserve(order.productId, order.orderId, order.qty);
    if (claim.items.length === order.qty) {
      await alertLowStock(deps, r, { productId: order.productId, code: order.productCode ?? '', name: order.productName ?? '' }, claim, order.qty);
      await fulfil(deps, r, order);
      await notifyAdmins(deps, r, texts.adminLatePayment(order, false), order.orderId);
      return;
    }
    await r.stock.release(order.orderId);
    const balance = await r.ledger.append({ userId: order.userId, amount: order.total, kind: 'refund', orderId: order.orderId });
    await moveOrder(r, order, 'refunded');
    await r.outbox.enqueue({ to: order.waId, text: texts.latePaymentCredited(order, balance), kind: 'notice', orderId: order.orderId });
    await notifyAdmins(deps, r, texts.adminLatePayment(order, true), order.orderId);
    return;
  }
  await fulfil(deps, r, order);
}
