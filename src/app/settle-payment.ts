import { outcomeOf, type PaymentOutcome } from '../domain/payment.js';
import { canTransition } from '../domain/order.js';
import type { AppDeps } from './deps.js';
import { afterClose, closePending, fulfil, fulfilLate, reverse } from './order-lifecycle.js';
import { moveOrder, notifyAdmins } from './order-moves.js';
import type { EventFlag, PaymentEvent, Order, Repos } from './ports.js';

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
export async function settlePaymentEvent(deps: AppDeps, e: PaymentEvent): Promise<EventResult> {
  const { store, gateway, log } = deps;
  const order = await store.autocommit.orders.findByPublicId(e.orderRef);
  if (!order) {
    await store.autocommit.payments.markApplied(e.eventId, 'ignore', null, 'unknown_order');
    log.warn({ orderId: e.orderRef, status: e.transactionStatus }, 'payment notification for an unknown order: stored and flagged');
    return { done: true, result: 'unknown_order' };
  }
  if (!sameAmount(e.grossAmount, order.total)) {
    await store.autocommit.payments.markApplied(e.eventId, 'ignore', order.orderId, 'amount_mismatch');
    log.warn({ orderId: e.orderRef, gross: e.grossAmount, total: order.total }, 'payment notification amount does not match the order: flagged');
    return { done: true, result: 'amount_mismatch' };
  }
  const confirmed = await gateway.getStatus(e.orderRef);
  if (!confirmed || confirmed.orderId !== e.orderRef || !sameAmount(confirmed.grossAmount, order.total)) {
    if (e.attempts < MAX_UNCONFIRMED_ATTEMPTS) return { done: false, reason: 'status not confirmed by the gateway yet' };
    await store.autocommit.payments.markApplied(e.eventId, 'ignore', order.orderId, 'unconfirmed');
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
  if (FINAL.includes(outcome)) await afterClose(deps, order);
  // A paid top-up was handed to the supplier in that transaction: call it now.
  if (applied && outcome === 'paid' && order.target !== null) deps.wakeSupplier();
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
      await closePending(deps, r, order, outcome, true);
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
