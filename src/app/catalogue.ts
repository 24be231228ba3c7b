import { DomainError } from '../domain/errors.js';
import { CACHE } from './cache-aside.js';
import type { AppDeps } from './deps.js';
import { priceFor } from '../domain/pricing.js';
import { profileOf } from './buyer.js';
import type { CatalogueQuery, CatalogueView, ProductWithStock } from './ports.js';
import { topupRefusal } from './topup.js';

/* The catalogue as buyers see it: pages, categories, one product; each price the one their role pays. */

/** Products on one page of the text catalogue: 20 lines stay far below WhatsApp's 4096 characters. */
export const PAGE_SIZE = 20;
/** Products on one page of the tappable list: WhatsApp allows 10 rows, one is "next page". */
export const LIST_PAGE_SIZE = 9;

const NONE_WORDS = new Set(['lainnya', 'other']);

const cached = <T>(deps: AppDeps, field: string, load: () => Promise<T>) => deps.cache.getField(CACHE.catalogue.key, field, CACHE.catalogue.ttlMs, load);

/**
 * The catalogue as `waId` sees it (each price the one their role pays). Every
 * view is one indexed query, cached as a field of the catalogue (dropped whole
 * on any product or stock change), so 10,000 products cost what 10 do.
 */
export async function catalogueView(deps: AppDeps, waId: string, query: CatalogueQuery, pageSize = PAGE_SIZE): Promise<CatalogueView> {
  const products = deps.store.autocommit.products;
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
export const listProducts = (deps: AppDeps): Promise<ProductWithStock[]> => deps.store.autocommit.products.listActive();

export async function getProduct(deps: AppDeps, code: string, waId: string): Promise<ProductWithStock> {
  const wanted = code.toUpperCase();
  const [profile, product] = await Promise.all([profileOf(deps, waId), cached(deps, `product|${wanted}`, () => deps.store.autocommit.products.findByCode(wanted))]);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: wanted });
  return withTopupState(deps, { ...product, price: priceFor(product, profile.role) });
}

/** A top-up as buyers see it now: sellable, or why not (the cut-off window moves with the clock, so never cached). */
const withTopupState = (deps: AppDeps, p: ProductWithStock): ProductWithStock => (p.supplierSku ? { ...p, topup: topupRefusal(deps, p) ?? 'ok' } : p);

