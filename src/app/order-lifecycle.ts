import { waitForHand } from './by-hand.js';
import { DomainError } from '../domain/errors.js';
import { assertTransition } from '../domain/order.js';
import { releaseBuyLock } from './buy-lock.js';
import type { AppDeps } from './deps.js';
import { moveOrder, notifyAdmins, creditRefund } from './order-moves.js';
import type { Claimed, Order, Repos } from './ports.js';
import { handOver } from './topup.js';

/**
 * The order lifecycle in one place: placing its stock alerts, closing a pending
 * order, fulfilling a paid one (on time or late), reversing one (the single steps
 * underneath, a move, a refund, an admin notice, are in order-moves.ts). Every path that changes an
 * order's status (placing, paying, settling, reconciling, cancelling, expiring,
 * the admin's refund) goes through here.
 *
 * Lock order, everywhere: the order's row first (`lockByPublicId`), then what
 * closing it touches: its voucher use (given back by a trigger on the status
 * change), then the product's stock.
 */

/**
 * One admin alert when a sale takes a product's stock down to the threshold or
 * to zero: compared with what was left before this claim, so a run of sales
 * crosses each line once (4 → 3 alerts, 3 → 2 does not, 2 → 0 alerts). Queued
 * in the sale's transaction: a rolled-back sale never alerts.
 */
export async function alertLowStock(deps: AppDeps, r: Repos, product: { productId: string; code: string; name: string }, claim: Claimed, qty: number): Promise<void> {
  if (crossesLowStock(deps, claim.left, qty)) await notifyAdmins(deps, r, deps.texts.adminLowStock(product.code, product.name, claim.left));
}

/** Whether a sale of `qty` that left `left` on sale crossed the low-stock line (or sold out). */
export function crossesLowStock(deps: AppDeps, left: number, qty: number): boolean {
  const before = left + qty;
  const threshold = deps.settings.lowStockThreshold;
  return left === 0 ? before > 0 : threshold > 0 && before > threshold && left <= threshold;
}

/**
 * Closes a locked pending order unpaid (`expired`, `cancelled`, `failed`), inside
 * the caller's transaction: the status moves (which gives a voucher use back),
 * the reserved items go back on sale, and with `tell` the buyer hears why.
 * After the commit the caller runs `afterClose`.
 */
export async function closePending(deps: AppDeps, r: Repos, order: Order, to: 'expired' | 'cancelled' | 'failed', tell: boolean): Promise<Order> {
  const closed = await moveOrder(r, order, to);
  await r.stock.release(order.orderId);
  if (tell) await r.outbox.enqueue({ to: order.waId, text: deps.texts.orderClosed(order, to), kind: 'notice', orderId: order.orderId });
  return closed;
}

/** After a close committed: the buyer may buy again (the buy lock goes). */
export async function afterClose(deps: AppDeps, order: Order): Promise<void> {
  await releaseBuyLock(deps, order);
}

/**
 * A reversal: the money went back to the buyer after the order was paid. What the
 * order credited to the balance (a deposit, a late payment's credit) is taken back
 * as far as the balance allows, the rest is recorded as owed, the buyer's further
 * purchases wait for an admin, and the admins hear at once what had been delivered.
 */
export async function reverse(deps: AppDeps, r: Repos, order: Order, gatewayStatus: string): Promise<void> {
  assertTransition(order.status, 'reversed');
  const user = await r.users.lock(order.userId);
  const taken = Math.min(await r.ledger.creditedBy(order.orderId), user.balance);
  if (taken > 0) await r.ledger.append({ userId: order.userId, amount: -taken, kind: 'reversal', orderId: order.orderId, note: `midtrans ${gatewayStatus}` });
  const owed = Math.max(0, order.total - taken);
  if (!(await r.orders.reverse(order.orderId, [order.status], owed))) return;
  await r.users.hold(order.userId, order.publicId);
  const items = order.kind === 'purchase' ? (await r.stock.itemsOf(order.orderId)).map((i) => i.payload) : [];
  // A top-up at the supplier cannot be called back (Digiflazz has no cancel): its row goes on, and
  // the admins hear where it stands; its final word is told to them, not to the buyer (applySupplierReply).
  const so = order.target !== null ? await r.supplier.lock(order.publicId) : null;
  const topup = so ? { status: so.status, sn: so.sn } : null;
  await notifyAdmins(deps, r, deps.texts.adminReversal({ ...order, owed }, { gatewayStatus, taken, owed, items, topup }), order.orderId);
  await r.outbox.enqueue({ to: order.waId, text: deps.texts.paymentReversed(order, taken, owed), kind: 'notice', orderId: order.orderId });
  deps.log.warn({ orderId: order.publicId, gatewayStatus, taken, owed }, 'payment reversed after settlement');
}

/** Paid in time: the reserved items are sold, or the deposit credited, and the message queued. */
export async function fulfil(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  const { texts } = deps;
  // A top-up has no items: it goes to the supplier, in this transaction (a crash after the commit resumes from the row).
  if (order.target !== null) return handOver(deps, r, order);
  // Delivered by hand: it stays paid, and the admins are told what to send.
  if (order.byHand) return waitForHand(deps, r, order);
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
export async function fulfilLate(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  const { texts } = deps;
  if (order.kind === 'purchase' && order.productId && order.target === null && !order.byHand) {
    const claim = await r.stock.reserve(order.productId, order.orderId, order.qty);
    if (claim.items.length === order.qty) {
      await alertLowStock(deps, r, { productId: order.productId, code: order.productCode ?? '', name: order.productName ?? '' }, claim, order.qty);
      await fulfil(deps, r, order);
      await notifyAdmins(deps, r, texts.adminLatePayment(order, false), order.orderId);
      return;
    }
    await r.stock.release(order.orderId);
    await creditRefund(r, order, { note: 'paid after the order closed; sold out since', notice: (balance) => texts.latePaymentCredited(order, balance) });
    await notifyAdmins(deps, r, texts.adminLatePayment(order, true), order.orderId);
    return;
  }
  await fulfil(deps, r, order);
}

/**
 * A delivered purchase's goods again, to its buyer, through the outbox (`.kirimulang`
 * by the buyer, "resend" on the dashboard). `waId` limits it to that buyer's orders.
 */
export async function resendDelivery(deps: AppDeps, publicId: string, waId?: string): Promise<void> {
  const order = await deps.store.autocommit.orders.findByPublicId(publicId.toUpperCase());
  if (!order || (waId !== undefined && order.waId !== waId) || order.kind !== 'purchase') throw new DomainError('UNKNOWN_ORDER', { orderId: publicId });
  if (order.status !== 'delivered') throw new DomainError('NOT_DELIVERED', { orderId: order.publicId });
  await deps.store.transaction(async (r) => {
    // A top-up's goods are its serial number (or, when the supplier sent none, its message).
    const so = order.target !== null ? await r.supplier.find(order.publicId) : null;
    const text =
      order.target !== null
        ? deps.texts.topupDelivered(order, so?.sn ?? null, so?.message ?? '')
        : order.byHand
          ? deps.texts.handDelivered(order, order.handMessage ?? '')
          : deps.texts.delivered(order, await r.stock.itemsOf(order.orderId));
    await r.outbox.enqueue({ to: order.waId, text, kind: 'delivery', orderId: order.orderId });
  });
}
