import { DomainError } from '../domain/errors.js';
import { reconcileOrder } from './reconcile.js';
import { CACHE } from './cache-aside.js';
import type { AppDeps } from './deps.js';
import { afterClose, closePending, resendDelivery } from './order-lifecycle.js';
import { lockPending } from './order-moves.js';
import { DEFAULT_ROLE, priceFor } from '../domain/pricing.js';
import type { CategoryCount, Order, ProductWithStock } from './ports.js';
import { topupRefusal } from './topup.js';

/** Products on one page of the text catalogue: 20 lines stay far below WhatsApp's 4096 characters. */
export const PAGE_SIZE = 20;
/** Products on one page of the tappable list: WhatsApp allows 10 rows, one is "next page". */
export const LIST_PAGE_SIZE = 9;

export type CatalogueView =
  | { kind: 'overview'; categories: CategoryCount[]; total: number }
  | { kind: 'page'; category: string | null | undefined; products: ProductWithStock[]; page: number; pages: number; total: number };

/** What `.produk [CATEGORY] [PAGE]` asked for; `category` null = products without one. */
export interface CatalogueQuery {
  category?: string | null;
  page?: number;
}

const NONE_WORDS = new Set(['lainnya', 'other']);

const cached = <T>(deps: AppDeps, field: string, load: () => Promise<T>) => deps.cache.getField(CACHE.catalogue.key, field, CACHE.catalogue.ttlMs, load);

/**
 * The catalogue as `waId` sees it (each price the one their role pays). Every
 * view is one indexed query, cached as a field of the catalogue (dropped whole
 * on any product or stock change), so 10,000 products cost what 10 do.
 */
export async function catalogueView(deps: AppDeps, waId: string, query: CatalogueQuery, pageSize = PAGE_SIZE): Promise<CatalogueView> {
  const products = deps.store.direct.products;
  const page = Math.max(1, query.page ?? 1);
  const bare = query.category === undefined && query.page === undefined;
  // Up to a page of products, a bare `.produk` shows them all; beyond it, the overview of categories.
  const size = pageSize;
  const key = `page|${query.category === undefined ? '*' : query.category === null ? '-' : query.category.toLowerCase()}|${page}|${size}`;
  // All reads leave together (one Redis round trip when cached): the profile, the page, and for a
  // bare `.produk` the categories, which decide between the overview and the page.
  const [profile, got, categories] = await Promise.all([
    profileOf(deps, waId),
    cached(deps, key, () => products.page(query.category, (page - 1) * size, size)),
    bare ? cached(deps, 'categories', () => products.categories()) : null,
  ]);
  if (categories && got.total > size && categories.some((c) => c.name !== null)) return { kind: 'overview', categories, total: got.total };
  if (query.category && got.total === 0) {
    // "Lainnya"/"Other" is how the catalogue names products without a category.
    if (NONE_WORDS.has(query.category.toLowerCase())) return catalogueView(deps, waId, { ...query, category: null }, pageSize);
    // `.produk Season 2`: the number was part of the category's name, not a page.
    if (query.page !== undefined) return catalogueView(deps, waId, { category: `${query.category} ${query.page}` }, pageSize);
    throw new DomainError('UNKNOWN_CATEGORY', { category: query.category });
  }
  const pages = Math.max(1, Math.ceil(got.total / size));
  if (page > pages) throw new DomainError('NO_SUCH_PAGE', { page, pages });
  const priced = got.products.map((p) => withTopupState(deps, { ...p, price: priceFor(p, profile.role) }));
  return { kind: 'page', category: query.category, products: priced, page, pages, total: got.total };
}

/** Everything, for the CLI and the dashboard (not the chat's hot path). */
export const listProducts = (deps: AppDeps): Promise<ProductWithStock[]> => deps.store.direct.products.listActive();

export async function getProduct(deps: AppDeps, code: string, waId: string): Promise<ProductWithStock> {
  const wanted = code.toUpperCase();
  const [profile, product] = await Promise.all([profileOf(deps, waId), cached(deps, `product|${wanted}`, () => deps.store.direct.products.findByCode(wanted))]);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: wanted });
  return withTopupState(deps, { ...product, price: priceFor(product, profile.role) });
}

/** A top-up as buyers see it now: sellable, or why not (the cut-off window moves with the clock, so never cached). */
const withTopupState = (deps: AppDeps, p: ProductWithStock): ProductWithStock => (p.supplierSku ? { ...p, topup: topupRefusal(deps, p) ?? 'ok' } : p);

export interface Profile {
  balance: number;
  name: string;
  role: string;
  blocked: boolean;
}

/** For display and routing only (cached 1 min): purchases read the locked user row, never this. */
export async function profileOf(deps: AppDeps, waId: string): Promise<Profile> {
  return deps.cache.get(CACHE.profile.key(waId), CACHE.profile.ttlMs, async () => {
    const user = await deps.store.direct.users.find(waId);
    return { balance: user?.balance ?? 0, name: user?.name ?? '', role: user?.role ?? DEFAULT_ROLE, blocked: user?.blocked ?? false };
  });
}

export async function historyOf(deps: AppDeps, waId: string, limit = 5): Promise<Order[]> {
  const user = await deps.store.direct.users.find(waId);
  return user ? deps.store.direct.orders.recentOf(user.userId, limit) : [];
}

/**
 * `.batal`: the buyer closes their pending order; its items go back on sale at once.
 * A gateway order is cancelled at the gateway first: when it refuses because the
 * payment went through, nothing is cancelled, the payment is applied now, and the
 * buyer hears that (`paid`), not "cancelled".
 */
export async function cancelPendingOrder(deps: AppDeps, waId: string): Promise<{ order: Order; paid: boolean }> {
  const user = await deps.store.direct.users.find(waId);
  const open = user && (await deps.store.direct.orders.pendingOf(user.userId));
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
