import { outcomeOf, type PaymentOutcome } from '../domain/payment.js';
import { releaseBuyLock } from './buy-lock.js';
import { moveOrder, notifyAdmins, type AppDeps } from './deps.js';
import type { Order, Repos } from './ports.js';

export interface GatewayNotification {
  gateway: string;
  orderId: string; // the public id we gave the gateway
  transactionId: string;
  transactionStatus: string;
  fraudStatus: string | null;
  grossAmount: string; // as received, e.g. "25000.00"
  raw: unknown;
}

export type NotificationResult = 'applied' | 'duplicate' | 'unknown_order' | 'amount_mismatch' | 'unconfirmed';

const sameAmount = (gross: string, total: number) => Number(gross) === total;

/**
 * Seed steps 11–12: a signed gateway notification, already verified by the caller.
 * The amount is checked against the order and the status confirmed with the
 * gateway before anything changes. Storing the event and applying it happen in
 * one transaction, so a repeated notification is a no-op and a crash in
 * between leaves the event unstored, to be applied when the gateway retries.
 */
export async function applyPaymentNotification(deps: AppDeps, n: GatewayNotification): Promise<NotificationResult> {
  const { store, gateway, log } = deps;
  const order = await store.read.orders.findByPublicId(n.orderId);
  if (!order) {
    // Kept for the operator: a notification for an order we never made.
    await store.read.payments.record({ ...n, orderRef: n.orderId, orderId: null }, 'unknown_order');
    log.warn({ orderId: n.orderId, status: n.transactionStatus }, 'payment notification for an unknown order');
    return 'unknown_order';
  }
  if (!sameAmount(n.grossAmount, order.total)) {
    log.warn({ orderId: n.orderId, gross: n.grossAmount, total: order.total }, 'payment notification amount does not match the order');
    return 'amount_mismatch';
  }
  // The seed's "Verify Payment Status": the gateway's own answer decides, not the POST body.
  const confirmed = await gateway.getStatus(n.orderId);
  if (!confirmed || confirmed.orderId !== n.orderId || !sameAmount(confirmed.grossAmount, order.total)) {
    log.warn({ orderId: n.orderId }, 'payment notification not confirmed by the gateway status');
    return 'unconfirmed';
  }
  const outcome = outcomeOf(confirmed.transactionStatus, confirmed.fraudStatus ?? undefined);
  const result = await store.transaction(async (r) => {
    const fresh = await r.payments.record({ ...n, orderRef: n.orderId, orderId: order.orderId }, outcome);
    if (!fresh) return 'duplicate' as const;
    const locked = (await r.orders.lockByPublicId(n.orderId))!;
    await applyOutcome(deps, r, locked, outcome);
    log.info({ orderId: n.orderId, outcome, status: locked.status }, 'payment notification applied');
    return 'applied' as const;
  });
  // Seed step 13: the order is no longer pending (or never will be again), so its buyer may buy.
  if (outcome !== 'waiting' && outcome !== 'ignore') await releaseBuyLock(deps, order);
  return result;
}

async function applyOutcome(deps: AppDeps, r: Repos, order: Order, outcome: PaymentOutcome): Promise<void> {
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
      if (order.status !== 'pending') return; // never move a settled order backwards
      await moveOrder(r, order, outcome);
      await r.stock.release(order.orderId);
      await r.outbox.enqueue({ to: order.waId, text: deps.texts.orderClosed(order, outcome), kind: 'notice', orderId: order.orderId });
      return;
    case 'refunded':
      // Money went back at the gateway: the order history keeps it; a person decides the rest.
      await notifyAdmins(deps, r, `[admin] Refund/chargeback at the gateway for ${order.publicId} (${order.waId}).`, order.orderId);
      return;
    case 'waiting':
    case 'ignore':
      return;
  }
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
    const items = await r.stock.reserve(order.productId, order.orderId, order.qty);
    if (items.length === order.qty) {
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
