import { DomainError, isDomainError } from '../domain/errors.js';
import { sendPaymentLink } from './payment-link.js';
import { outcomeOf, type PaymentOutcome } from '../domain/payment.js';
import type { AppDeps } from './deps.js';
import { afterClose, closePending } from './order-lifecycle.js';
import { lockPending } from './order-moves.js';
import type { Order } from './ports.js';

export type ReconcileResult = PaymentOutcome | 'expired_here' | 'still_pending';

/**
 * Brings one pending order up to date with the gateway, for notifications that
 * never came (kedai was down, Midtrans gave up). A final status at the gateway
 * goes through the payment paymentEvents, the one path that applies statuses. An order
 * past its expiry that the gateway still calls pending (or never saw) is
 * cancelled there first, then expired here: its items go back on sale.
 */
export async function reconcileOrder(deps: AppDeps, order: Order, opts: { expireIfDue: boolean }): Promise<ReconcileResult> {
  const status = await deps.gateway.getStatus(order.publicId);
  const outcome = status ? outcomeOf(status.transactionStatus, status.fraudStatus ?? undefined) : 'waiting';
  if (status && outcome !== 'waiting' && outcome !== 'ignore') {
    await deps.paymentEvents.store({
      gateway: 'midtrans',
      orderRef: order.publicId,
      transactionId: 'reconcile',
      transactionStatus: status.transactionStatus,
      fraudStatus: status.fraudStatus,
      grossAmount: status.grossAmount,
      raw: { source: 'reconcile', ...status },
    });
    return outcome;
  }
  const due = order.expiresAt !== null && order.expiresAt.getTime() <= deps.clock.now().getTime();
  if (!opts.expireIfDue || !due) return 'still_pending';
  // If the buyer pays in the instant between, the settlement is honoured as a late payment.
  await deps.gateway.cancel(order.publicId).catch((err: unknown) => deps.log.warn({ err, orderId: order.publicId }, 'gateway cancel before expiry failed'));
  const expired = await deps.store.transaction(async (r) => {
    const current = await lockPending(r, order.publicId);
    if (current) await closePending(deps, r, current, 'expired', true);
    return current !== null;
  });
  if (expired) {
    await afterClose(deps, order);
    deps.log.info({ orderId: order.publicId }, 'order expired unpaid');
  }
  return expired ? 'expired_here' : 'still_pending';
}

/**
 * Pending orders that never got their payment link (the process died between the
 * order's commit and the gateway call): each gets its link now, or, when the gateway
 * cannot give one, is closed with its items back on sale and the buyer told.
 */
export async function recoverPaymentLinks(deps: AppDeps, olderThanS: number): Promise<number> {
  const orders = await deps.store.autocommit.orders.claimLinkless(olderThanS, 20);
  for (const order of orders) {
    try {
      await sendPaymentLink(deps, order, '');
      deps.log.info({ orderId: order.publicId }, 'payment link sent after a restart');
    } catch (err) {
      if (!isDomainError(err)) {
        deps.log.warn({ err, orderId: order.publicId }, 'payment link recovery failed; the next round retries');
        continue;
      }
      await deps.store.transaction((r) => r.outbox.enqueue({ to: order.waId, text: deps.texts.paymentUnavailable(order), kind: 'notice', orderId: order.orderId }));
      await afterClose(deps, order);
    }
  }
  return orders.length;
}

/** `.cekbayar [ORDER]`: re-check one order or every pending one with the gateway. */
export async function recheckPayments(deps: AppDeps, publicId?: string): Promise<{ orderId: string; result: ReconcileResult | 'error' }[]> {
  let orders: Order[];
  if (publicId) {
    const order = await deps.store.autocommit.orders.findByPublicId(publicId.toUpperCase());
    if (!order) throw new DomainError('UNKNOWN_ORDER', { orderId: publicId });
    if (order.status !== 'pending') throw new DomainError('NO_PENDING_ORDER');
    orders = [order];
  } else {
    orders = await deps.store.autocommit.orders.allPending(200);
  }
  const results: { orderId: string; result: ReconcileResult | 'error' }[] = [];
  for (const order of orders) {
    const result = await reconcileOrder(deps, order, { expireIfDue: true }).catch((err: unknown) => {
      deps.log.warn({ err, orderId: order.publicId }, 'reconciliation failed for an order');
      return 'error' as const;
    });
    results.push({ orderId: order.publicId, result });
  }
  return results;
}
