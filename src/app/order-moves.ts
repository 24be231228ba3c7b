import { DomainError } from '../domain/errors.js';
import { assertTransition, type OrderStatus } from '../domain/order.js';
import type { AppDeps } from './deps.js';
import type { Order, Repos } from './ports.js';

/*
 * The smallest steps every order path takes, below the lifecycle, the top-ups and the
 * admin's actions alike: moving an order along the transition table, giving its money
 * back, telling the admins. Each runs inside the caller's transaction.
 */

/**
 * Moves a locked order along the state machine. The SQL guard repeats the
 * check, so a concurrent change shows up as ILLEGAL_TRANSITION, never a double move.
 */
export async function moveOrder(r: Repos, order: Order, to: OrderStatus): Promise<Order> {
  assertTransition(order.status, to);
  const moved = await r.orders.transition(order.orderId, [order.status], to);
  if (!moved) throw new DomainError('ILLEGAL_TRANSITION', { from: order.status, to });
  return { ...order, status: to };
}

/**
 * The one way an order's money goes back to its buyer's balance: the order becomes
 * `refunded` (checked against the transition table first, so nothing is credited for an
 * order that cannot be refunded), a ledger `refund` of its total (the ledger takes one per
 * order: a second is refused by the database), and the buyer's notice, which says why
 * (`notice` gets the new balance). Returns the new balance.
 */
export async function creditRefund(r: Repos, order: Order, why: { note: string; notice: (balance: number) => string }): Promise<number> {
  await moveOrder(r, order, 'refunded');
  const balance = await r.ledger.append({ userId: order.userId, amount: order.total, kind: 'refund', orderId: order.orderId, note: why.note.slice(0, 200) });
  await r.outbox.enqueue({ to: order.waId, text: why.notice(balance), kind: 'notice', orderId: order.orderId });
  return balance;
}

/** A notice to every admin number, queued in the caller's transaction (a rolled-back change tells no one). */
export async function notifyAdmins(deps: AppDeps, r: Repos, text: string, orderId?: string): Promise<void> {
  for (const admin of deps.settings.adminNumbers) {
    await r.outbox.enqueue({ to: admin, text, kind: 'notice', orderId: orderId ?? null });
  }
}

/** The order, row-locked for the rest of the transaction, when it is still pending; otherwise null (a notification or a neighbour moved it). */
export async function lockPending(r: Repos, publicId: string): Promise<Order | null> {
  const order = await r.orders.lockByPublicId(publicId);
  return order?.status === 'pending' ? order : null;
}
