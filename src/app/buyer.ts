import { DomainError } from '../domain/errors.js';
import { reconcileOrder } from './reconcile.js';
import { CACHE } from './cache-aside.js';
import type { AppDeps } from './deps.js';
import { afterClose, closePending, resendDelivery } from './order-lifecycle.js';
import { lockPending } from './order-moves.js';
import { DEFAULT_ROLE } from '../domain/pricing.js';
import type { Order } from './ports.js';

/* A buyer's own account: their profile (balance, role), their orders, cancelling the pending one, the goods again. */

export interface Profile {
  balance: number;
  name: string;
  role: string;
  blocked: boolean;
}

/**
 * For display and routing only (cached 1 min): purchases read the locked user row, never this.
 * `fill: false` for a read just before a purchase, which drops the entry: a miss is not written back.
 */
export async function profileOf(deps: AppDeps, waId: string, fill = true): Promise<Profile> {
  return deps.cache.get(
    CACHE.profile.key(waId),
    CACHE.profile.ttlMs,
    async () => {
      const user = await deps.store.autocommit.users.find(waId);
      return { balance: user?.balance ?? 0, name: user?.name ?? '', role: user?.role ?? DEFAULT_ROLE, blocked: user?.blocked ?? false };
    },
    fill,
  );
}

export async function historyOf(deps: AppDeps, waId: string, limit = 5): Promise<Order[]> {
  const user = await deps.store.autocommit.users.find(waId);
  return user ? deps.store.autocommit.orders.recentOf(user.userId, limit) : [];
}

/**
 * `.batal`: the buyer closes their pending order; its items go back on sale at once.
 * A gateway order is cancelled at the gateway first: when it refuses because the
 * payment went through, nothing is cancelled, the payment is applied now, and the
 * buyer hears that (`paid`), not "cancelled".
 */
export async function cancelPendingOrder(deps: AppDeps, waId: string): Promise<{ order: Order; paid: boolean }> {
  const user = await deps.store.autocommit.users.find(waId);
  const open = user && (await deps.store.autocommit.orders.pendingOf(user.userId));
  if (!open) throw new DomainError('NO_PENDING_ORDER');
  if (open.paymentMethod === 'gateway') {
    // Unreachable gateway: cancel here all the same; a payment that still arrives is honoured as a late payment.
    const verdict = await deps.gateway.cancel(open.publicId).catch((err: unknown) => {
      deps.log.warn({ err, orderId: open.publicId }, 'gateway cancel failed');
      return 'unknown' as const;
    });
    if (verdict === 'too_late') {
      await reconcileOrder(deps, open, { expireIfDue: false }).catch((err: unknown) => deps.log.warn({ err, orderId: open.publicId }, 'paid order not reconciled yet; its notification will apply it'));
      return { order: open, paid: true };
    }
  }
  const cancelled = await deps.store.transaction(async (r) => {
    const order = await lockPending(r, open.publicId);
    if (!order) throw new DomainError('NO_PENDING_ORDER');
    return closePending(deps, r, order, 'cancelled', false); // the reply to .batal is the buyer's answer
  });
  await afterClose(deps, cancelled);
  return { order: cancelled, paid: false };
}

/** `.kirimulang ORDER`: the goods of one of the buyer's delivered orders, again. */
export const resendGoods = (deps: AppDeps, waId: string, publicId: string): Promise<void> => resendDelivery(deps, publicId, waId);
