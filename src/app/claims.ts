import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { notifyAdmins } from './order-moves.js';
import type { Repos, WarrantyClaim } from './ports.js';

/*
 * Warranty claims (docs/flow.md): a stock product may carry a warranty (`.setgaransi CODE
 * DAYS`). The buyer of a delivered order claims within that many days of delivery (`.klaim
 * ORDERID REASON`); one open claim per order; the admins are told. An admin replaces the item
 * (`.ganti`: the next item of the product's stock is sold to that order, with its delivery
 * message, under the stock's own claim), rejects it (`.tolak`), or refunds the order (the
 * dashboard), which closes the claim.
 */

export const REASON_MAX = 500;

/** `.setgaransi CODE DAYS` (0 = none). */
export async function setWarranty(deps: AppDeps, code: string, days: number): Promise<void> {
  const upper = code.toUpperCase();
  if (!Number.isInteger(days) || days < 0 || days > 3650) throw new DomainError('INVALID_INPUT', { command: 'setgaransi' });
  if (!(await deps.store.autocommit.claims.setWarranty(upper, days))) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
}

/** `.klaim ORDERID REASON` by the order's buyer: refused (nothing opened) unless it is theirs, delivered, a stock product, in warranty and not claimed already. */
export async function openClaim(deps: AppDeps, waId: string, publicId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (why.length === 0) throw new DomainError('INVALID_INPUT', { command: 'klaim' });
  if (why.length > REASON_MAX) throw new DomainError('REASON_TOO_LONG', { max: REASON_MAX });
  await deps.store.transaction(async (r) => {
    const order = await r.orders.lockByPublicId(publicId.toUpperCase());
    // Another buyer's order is not named: it does not exist for this buyer.
    if (!order || order.waId !== waId || order.kind !== 'purchase') throw new DomainError('UNKNOWN_ORDER', { orderId: publicId });
    if (order.target !== null) throw new DomainError('NO_WARRANTY', { orderId: order.publicId });
    if (order.status !== 'delivered') throw new DomainError('NOT_DELIVERED', { orderId: order.publicId });
    const { days, deliveredAt } = await r.claims.warrantyOf(order.orderId);
    if (days === 0) throw new DomainError('NO_WARRANTY', { orderId: order.publicId });
    if (!deliveredAt || deps.clock.now().getTime() > deliveredAt.getTime() + days * 86_400_000) throw new DomainError('WARRANTY_OVER', { orderId: order.publicId, days });
    if (!(await r.claims.open(order.orderId, why))) throw new DomainError('CLAIM_OPEN', { orderId: order.publicId });
    await notifyAdmins(deps, r, deps.texts.adminClaimOpened(order.publicId, order.productCode ?? '', waId, why), order.orderId);
  });
}

/** The open claim of an order, locked (the order first, as every path locks them). */
async function lockClaim(r: Repos, publicId: string): Promise<WarrantyClaim> {
  const order = await r.orders.lockByPublicId(publicId.toUpperCase());
  const claim = order && (await r.claims.lockOpen(order.orderId));
  if (!claim) throw new DomainError('NO_OPEN_CLAIM', { orderId: publicId.toUpperCase() });
  return claim;
}

/**
 * `.ganti ORDERID`: the next item of the product's stock sold to the claim's order, its delivery
 * message queued with it. No stock left: a clear refusal and the claim stays open (rolled back).
 */
export async function replaceItem(deps: AppDeps, admin: string, publicId: string): Promise<WarrantyClaim> {
  return deps.store.transaction(async (r) => {
    const claim = await lockClaim(r, publicId);
    if (!claim.productId) throw new DomainError('UNKNOWN_PRODUCT', { code: claim.productCode ?? '' });
    const [before, after] = deps.texts.replacementDelivered(claim.publicId, claim.productName ?? '').split('\u0000');
    const sold = await r.stock.sell(claim.productId, claim.orderId, 1, { to: claim.waId, before: before ?? '', after: after ?? '' });
    if (sold.items.length < 1) throw new DomainError('SOLD_OUT', { code: claim.productCode ?? '', available: 0, asked: 1 });
    await r.claims.close(claim.claimId, 'replaced', admin, null);
    return claim;
  });
}

/** `.tolak ORDERID REASON`: the claim rejected, the buyer told why. */
export async function rejectClaim(deps: AppDeps, admin: string, publicId: string, reason: string): Promise<WarrantyClaim> {
  const why = reason.trim();
  if (why.length > REASON_MAX) throw new DomainError('REASON_TOO_LONG', { max: REASON_MAX });
  return deps.store.transaction(async (r) => {
    const claim = await lockClaim(r, publicId);
    await r.claims.close(claim.claimId, 'rejected', admin, why || null);
    await r.outbox.enqueue({ to: claim.waId, text: deps.texts.claimRejected(claim.publicId, why), kind: 'notice', orderId: claim.orderId });
    return claim;
  });
}

/** An order refunded (the dashboard): its open claim is closed as refunded, in the same transaction. */
export async function closeClaimByRefund(r: Repos, orderId: string, admin: string): Promise<void> {
  const claim = await r.claims.lockOpen(orderId);
  if (claim) await r.claims.close(claim.claimId, 'refunded', admin, null);
}
