import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { notifyAdmins } from './order-moves.js';
import type { Order, Repos } from './ports.js';

/*
 * Delivery by hand (docs/flow.md): a product with a form and no stock items ever added, or one
 * set `.setmanual`, is fulfilled by an admin. Once paid, its order waits (`paid`); the admins are
 * told with the buyer's detail; `.kirim ORDERID TEXT` delivers TEXT as the goods, kept as the
 * order's delivery message; one still waiting after MANUAL_REMIND_HOURS reminds the admins.
 * Refunding it works as for any paid order.
 */

/** `.setform CODE email|text|-` and `.setmanual CODE [off]`. */
export async function setHandling(deps: AppDeps, code: string, h: { form?: 'email' | 'text' | null; manual?: boolean }): Promise<void> {
  const upper = code.toUpperCase();
  // A top-up is delivered by its supplier to the number or ID it was bought for: no form, never by hand.
  if ((await deps.store.autocommit.products.findForSale(upper))?.supplierSku) throw new DomainError('INVALID_INPUT', { command: 'setform' });
  if (!(await deps.store.transaction((r) => r.products.setHandling(upper, h)))) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
}

/** Inside the transaction that marked it paid: the admins told what to send (with the detail), the buyer that it is coming. */
export async function waitForHand(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  await notifyAdmins(deps, r, deps.texts.adminManualOrder(order), order.orderId);
  await r.outbox.enqueue({ to: order.waId, text: deps.texts.manualPaid(order), kind: 'notice', orderId: order.orderId });
}

/** `.kirim ORDERID TEXT`: the paid manual order delivered with TEXT (refused, nothing changed, for any other order). */
export async function deliverByHand(deps: AppDeps, publicId: string, text: string): Promise<Order> {
  const message = text.trim();
  if (message.length === 0 || message.length > 4000) throw new DomainError('INVALID_INPUT', { command: 'kirim' });
  return deps.store.transaction(async (r) => {
    const order = await r.orders.lockByPublicId(publicId.toUpperCase());
    if (!order) throw new DomainError('UNKNOWN_ORDER', { orderId: publicId.toUpperCase() });
    if (!order.byHand || order.status !== 'paid' || !(await r.orders.deliverByHand(order.orderId, message))) throw new DomainError('NOT_BY_HAND', { orderId: order.publicId });
    const delivered = { ...order, status: 'delivered' as const, handMessage: message };
    await r.outbox.enqueue({ to: order.waId, text: deps.texts.handDelivered(delivered, message), kind: 'delivery', orderId: order.orderId });
    return delivered;
  });
}

/** Paid manual orders still waiting after MANUAL_REMIND_HOURS: the admins reminded (again after as long). */
export async function remindByHand(deps: AppDeps): Promise<number> {
  return deps.store.transaction(async (r) => {
    const late = await r.orders.handReminders(deps.settings.manualRemindHours, 50);
    if (late.length) await notifyAdmins(deps, r, deps.texts.adminManualReminder(late, deps.settings.manualRemindHours));
    return late.length;
  });
}
