import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { notifyAdmins } from './order-moves.js';
import type { Supplier, SupplierState } from './ports.js';

/*
 * The supplier account (docs/flow.md, "Top-ups"): its deposit, its price list synced into
 * the top-up products, a product made a top-up of one of its SKUs, and its state for
 * `.supplier` and the dashboard. What happens to each top-up is in topup.ts.
 */

/** Records the supplier deposit; the admins hear once when it drops below SUPPLIER_LOW_BALANCE. */
export async function watchBalance(deps: AppDeps, name: string, balance: number): Promise<void> {
  const low = deps.settings.supplierLowBalance;
  const crossed = await deps.store.autocommit.supplier.setBalance(name, balance, low);
  if (crossed) await deps.store.transaction((r) => notifyAdmins(deps, r, deps.texts.adminSupplierLow(balance, low)));
}

const SYNC_EVERY_S = 300;

/**
 * Syncs the supplier's price list into the top-up products' cost and availability,
 * at most once per 5 minutes across processes (rc 83 respected), and the deposit.
 * `force` ignores the schedule (`.setsku` with nothing cached yet).
 */
export async function syncSuppliers(deps: AppDeps): Promise<void> {
  // One supplier's fault never holds another's sync back; the first fault is reported after all were tried.
  const faults: unknown[] = [];
  for (const supplier of deps.suppliers.all) await syncSupplier(deps, supplier).catch((err: unknown) => faults.push(err));
  if (faults.length) throw faults[0];
}

/** One supplier's price list and deposit (see syncSuppliers). */
export async function syncSupplier(deps: AppDeps, supplier: Supplier, force = false): Promise<'synced' | 'skipped' | 'rate_limited'> {
  const repo = deps.store.autocommit.supplier;
  if (!(await repo.takeSync(supplier.name, SYNC_EVERY_S)) && !force) return 'skipped';
  try {
    const list = await supplier.priceList();
    if (list === 'rate_limited') {
      await repo.syncDone(supplier.name, 'rc 83: price list limit reached; next try in 5 minutes', SYNC_EVERY_S);
      return 'rate_limited';
    }
    // An empty list is a glitch, not a supplier that sells nothing: the synced one stays.
    if (list.length === 0) throw new Error('the supplier sent an empty price list; the last one stays');
    const risen = await deps.store.transaction(async (r) => {
      const up = await r.supplier.replacePrices(supplier.name, list);
      for (const p of up) await notifyAdmins(deps, r, deps.texts.adminCostRisen(p.code, p.name, p.cost, p.price));
      return up;
    });
    await repo.syncDone(supplier.name, null, SYNC_EVERY_S);
    deps.log.info({ supplier: supplier.name, skus: list.length, risen: risen.length }, 'supplier price list synced');
  } catch (err) {
    await repo.syncDone(supplier.name, (err as Error).message, 60).catch(() => undefined);
    throw err;
  }
  await watchBalance(deps, supplier.name, await supplier.balance()).catch((err: unknown) => deps.log.warn({ err }, 'supplier balance not read'));
  return 'synced';
}

/** `.setsku CODE SKU`: the product becomes a top-up of that SKU (checked against the price list); `-` makes it a stock product again. */
export async function setSku(deps: AppDeps, code: string, sku: string, backupSku?: string): Promise<{ code: string; sku: string | null; cost: number | null; postpaid?: boolean; backup?: string }> {
  const upper = code.toUpperCase();
  const product = await deps.store.autocommit.products.findByCode(upper);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  // In a transaction, so the catalogue's cache is dropped before the reply: sellable at once.
  if (sku === '-') {
    await deps.store.transaction((r) => r.supplier.setSku(upper, null, null));
    return { code: upper, sku: null, cost: null };
  }
  const supplier = deps.suppliers.forSku(sku);
  if (!supplier) throw new DomainError('TOPUP_UNAVAILABLE', { code: upper, why: 'no_supplier' });
  if (product.available > 0) throw new DomainError('PRODUCT_HAS_STOCK', { code: upper, available: product.available });
  let offer = await deps.store.autocommit.supplier.price(sku);
  if (!offer && (await deps.store.autocommit.supplier.state(supplier.name)).skus === 0) {
    await syncSupplier(deps, supplier, true);
    offer = await deps.store.autocommit.supplier.price(sku);
  }
  if (!offer) throw new DomainError('UNKNOWN_SKU', { sku: sku.slice(0, 64) });
  // A backup: another supplier's (or another) SKU of the same kind, in its synced list; tried once after a definite failure.
  let backup: string | null = null;
  if (backupSku !== undefined) {
    const by = deps.suppliers.forSku(backupSku);
    if (!by) throw new DomainError('TOPUP_UNAVAILABLE', { code: upper, why: 'no_supplier' });
    let other = await deps.store.autocommit.supplier.price(backupSku);
    if (!other && (await deps.store.autocommit.supplier.state(by.name)).skus === 0) {
      await syncSupplier(deps, by, true);
      other = await deps.store.autocommit.supplier.price(backupSku);
    }
    if (!other || other.postpaid || offer.postpaid || other.sku === offer.sku) throw new DomainError('UNKNOWN_SKU', { sku: backupSku.slice(0, 64) });
    backup = other.sku;
  }
  await deps.store.transaction((r) => r.supplier.setSku(upper, offer.sku, backup));
  return { code: upper, sku: offer.sku, cost: offer.cost, ...(offer.postpaid ? { postpaid: true } : {}), ...(backup ? { backup } : {}) };
}

/** `.setcek CODE GAME`: the game (a supplier's slug, `mobile-legends`) its IDs are checked in; `-` for the supplier's own name. */
export async function setCheckGame(deps: AppDeps, code: string, game: string): Promise<{ code: string; game: string | null }> {
  const upper = code.toUpperCase();
  const slug = game === '-' ? null : game.toLowerCase();
  const done = await deps.store.transaction((r) => r.supplier.setCheckGame(upper, slug));
  if (!done) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  return { code: upper, game: slug };
}

/** `.supplier`: the deposit asked live (the stored one when the supplier does not answer), the price list's sync, the open top-ups. */
export async function supplierStatus(deps: AppDeps): Promise<(SupplierState & { name: string; live: number | null })[]> {
  return Promise.all(
    deps.suppliers.all.map(async (supplier) => {
      const live = await supplier.balance().catch((err: unknown) => (deps.log.warn({ err, supplier: supplier.name }, 'supplier balance not read'), null));
      if (live !== null) await watchBalance(deps, supplier.name, live).catch(() => undefined);
      return { ...(await deps.store.autocommit.supplier.state(supplier.name)), name: supplier.name, live };
    }),
  );
}

