import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import type { ProductWithStock, Repos } from './ports.js';
import { topupRefusal } from './topup.js';

/*
 * Back in stock (docs/flow.md): `.notify CODE` records a buyer's wish for a sold-out product
 * or a top-up that cannot be sold now. When stock comes back (every path adds it through
 * addStock) or the top-up becomes sellable (checked after each price-list sync), each buyer
 * who asked is told once through the outbox, at its pace, and the wish is used up.
 */

/** How long a wish waits. */
export const WISH_DAYS = 30;
/** Wishes one buyer may hold at once (a wish costs a message later). */
export const MAX_WISHES = 20;

/** Whether a buyer could buy the product now. */
const onSale = (deps: AppDeps, p: ProductWithStock): boolean => (p.supplierSku ? topupRefusal(deps, p) === null : p.available > 0);

/** `.notify CODE`: the wish recorded (or refused: the product is on sale now, unknown, too many wishes). */
export async function wish(deps: AppDeps, waId: string, code: string): Promise<{ code: string; name: string }> {
  const upper = code.toUpperCase();
  const product = await deps.store.autocommit.products.findForSale(upper);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  if (onSale(deps, product)) throw new DomainError('IN_STOCK', { code: upper });
  const expires = new Date(deps.clock.now().getTime() + WISH_DAYS * 86_400_000);
  if (!(await deps.store.autocommit.wishes.add(waId, product.productId, expires, MAX_WISHES))) throw new DomainError('TOO_MANY_WISHES', { max: MAX_WISHES });
  return { code: product.code, name: product.name };
}

/** `.notify CODE off`: false when the buyer had no such wish. */
export async function dropWish(deps: AppDeps, waId: string, code: string): Promise<boolean> {
  const upper = code.toUpperCase();
  const product = await deps.store.autocommit.products.findByCode(upper);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  return deps.store.autocommit.wishes.drop(waId, product.productId);
}

/** Inside the transaction that put the product back on sale: each waiting buyer told once, the wishes used up. */
export async function tellWishers(deps: AppDeps, r: Repos, product: { productId: string; code: string; name: string }): Promise<number> {
  const buyers = await r.wishes.takeFor(product.productId);
  for (const to of buyers) await r.outbox.enqueue({ to, text: deps.texts.backInStock(product.code, product.name), kind: 'restock' });
  if (buyers.length) deps.log.info({ code: product.code, buyers: buyers.length }, 'back in stock: waiting buyers told');
  return buyers.length;
}

/** After a price-list sync: the top-ups some buyer waits for that can be sold now. */
export async function tellTopupWishers(deps: AppDeps): Promise<number> {
  let told = 0;
  for (const code of await deps.store.autocommit.wishes.wishedTopups()) {
    const product = await deps.store.autocommit.products.findForSale(code);
    if (product && onSale(deps, product)) told += await deps.store.transaction((r) => tellWishers(deps, r, product));
  }
  return told;
}
