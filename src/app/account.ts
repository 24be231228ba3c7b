import { DomainError } from '../domain/errors.js';
import { releaseBuyLock } from './buy-lock.js';
import { CACHE } from './cache-aside.js';
import { moveOrder, type AppDeps } from './deps.js';
import { DEFAULT_ROLE, priceFor } from '../domain/pricing.js';
import type { Order, ProductWithStock } from './ports.js';

/** The catalogue, from the cache (5 min, dropped on every catalogue or stock change). */
export const listProducts = (deps: AppDeps): Promise<ProductWithStock[]> =>
  deps.cache.get(CACHE.catalogue.key, CACHE.catalogue.ttlMs, () => deps.store.read.products.listActive());

export async function getProduct(deps: AppDeps, code: string, waId: string): Promise<ProductWithStock> {
  const product = (await catalogueFor(deps, waId)).find((p) => p.code === code.toUpperCase());
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: code.toUpperCase() });
  return product;
}

export interface Profile {
  balance: number;
  name: string;
  role: string;
  blocked: boolean;
}

/** For display and routing only (cached 1 min): purchases read the locked user row, never this. */
export async function profileOf(deps: AppDeps, waId: string): Promise<Profile> {
  return deps.cache.get(CACHE.profile.key(waId), CACHE.profile.ttlMs, async () => {
    const user = await deps.store.read.users.find(waId);
    return { balance: user?.balance ?? 0, name: user?.name ?? '', role: user?.role ?? DEFAULT_ROLE, blocked: user?.blocked ?? false };
  });
}

/** The catalogue as `waId` sees it: each price is the one their role pays. */
export async function catalogueFor(deps: AppDeps, waId: string): Promise<ProductWithStock[]> {
  const [products, profile] = await Promise.all([listProducts(deps), profileOf(deps, waId)]);
  return products.map((p) => ({ ...p, price: priceFor(p, profile.role) }));
}

export async function historyOf(deps: AppDeps, waId: string, limit = 5): Promise<Order[]> {
  const user = await deps.store.read.users.find(waId);
  return user ? deps.store.read.orders.recentOf(user.userId, limit) : [];
}

/** `.batal`: the buyer closes their pending order; its items go back on sale at once. */
export async function cancelPendingOrder(deps: AppDeps, waId: string): Promise<Order> {
  const cancelled = await deps.store.transaction(async (r) => {
    const user = await r.users.find(waId);
    const pending = user && (await r.orders.pendingOf(user.userId));
    const order = pending && (await r.orders.lockByPublicId(pending.publicId));
    if (!order || order.status !== 'pending') throw new DomainError('NO_PENDING_ORDER');
    await r.stock.release(order.orderId);
    return moveOrder(r, order, 'cancelled');
  });
  await releaseBuyLock(deps, cancelled);
  if (cancelled.paymentMethod === 'gateway') {
    // Best effort: if the buyer pays anyway, the late-payment rule keeps the money safe.
    await deps.gateway.cancel(cancelled.publicId).catch((err: unknown) => {
      deps.log.warn({ err, orderId: cancelled.publicId }, 'gateway cancel failed');
    });
  }
  return cancelled;
}

/** `.kirimulang ORDER`: the goods of a delivered order, again, through the outbox. */
export async function resendGoods(deps: AppDeps, waId: string, publicId: string): Promise<void> {
  const order = await deps.store.read.orders.findByPublicId(publicId.toUpperCase());
  if (!order || order.waId !== waId || order.kind !== 'purchase') throw new DomainError('UNKNOWN_ORDER', { orderId: publicId });
  if (order.status !== 'delivered') throw new DomainError('NOT_DELIVERED', { orderId: order.publicId });
  await deps.store.transaction(async (r) => {
    const items = await r.stock.itemsOf(order.orderId);
    await r.outbox.enqueue({ to: waId, text: deps.texts.delivered(order, items), kind: 'delivery', orderId: order.orderId });
  });
}
