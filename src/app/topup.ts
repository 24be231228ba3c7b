import { DomainError } from '../domain/errors.js';
import { ESCALATE_AFTER_MS, failureOf, nextCheckAt, unsellable } from '../domain/topup.js';
import type { AppDeps } from './deps.js';
import { moveOrder, notifyAdmins } from './order-lifecycle.js';
import type { Order, ProductWithStock, Repos, SupplierOrder, SupplierReply, SupplierState } from './ports.js';

/*
 * Supplier top-ups (docs/flow.md, "Top-ups"): a paid top-up is handed to the
 * supplier in the transaction that marked it paid; a worker calls the supplier,
 * and every answer (the call's, a re-check's, a callback's) is applied here.
 * Only a definitive failure refunds, once; a timeout or a 5xx is unknown and is
 * asked again with the same ref_id. The database keeps one supplier order per
 * order, one refund per order, and a final supplier status final.
 */

/** Why a top-up product cannot be bought now, checked before any payment; null when it can. */
export function topupRefusal(deps: AppDeps, product: ProductWithStock, price = product.price): 'no_supplier' | 'unavailable' | 'cut_off' | 'unsynced' | 'price' | null {
  if (!deps.supplier) return 'no_supplier';
  const why = unsellable(product.offer, deps.clock.now());
  // The supplier's cost above what this buyer pays: never sold at a loss (the admins were told when the cost rose).
  return why ?? (product.offer && product.offer.cost > price ? 'price' : null);
}

/**
 * Inside the transaction that marked the top-up paid: writes its supplier order
 * (ref_id = the order's public id, max_price = the synced cost), or, when the
 * product can no longer go to the supplier, refunds it at once.
 */
export async function handOver(deps: AppDeps, r: Repos, order: Order, product?: ProductWithStock | null): Promise<void> {
  const p = product ?? (order.productCode ? await r.products.findForSale(order.productCode) : null);
  if (!deps.supplier || !p?.supplierSku || !p.offer || !order.target) {
    await refund(deps, r, order, 'unavailable', null);
    return;
  }
  await r.supplier.create({ orderId: order.orderId, supplier: deps.supplier.name, refId: order.publicId, sku: p.supplierSku, customerNo: order.target, maxPrice: p.offer.cost });
}

/** A failed top-up's money back to the buyer's balance (once: the ledger allows one refund per order), and the order refunded. */
async function refund(deps: AppDeps, r: Repos, order: Order, reason: ReturnType<typeof failureOf>['reason'], supplierMessage: string | null): Promise<void> {
  const balance = await r.ledger.append({ userId: order.userId, amount: order.total, kind: 'refund', orderId: order.orderId, note: `top-up failed${supplierMessage ? `: ${supplierMessage}` : ''}`.slice(0, 200) });
  await moveOrder(r, order, 'refunded');
  await r.outbox.enqueue({ to: order.waId, text: deps.texts.topupFailed(order, reason, balance), kind: 'notice', orderId: order.orderId });
  deps.telemetry.topup('refunded');
}

export type ApplyResult = 'unknown_ref' | 'delivered' | 'refunded' | 'waiting' | 'unchanged' | 'conflict';

/**
 * Applies one supplier answer to its top-up, in one transaction. `called`: the
 * answer is to our own call (counts as an attempt and schedules the next
 * re-check); a callback only moves the state. A final state never moves again:
 * a late Pending is ignored, and a contradiction (Gagal after Sukses, the
 * supplier's rc 74 refund) goes to the admins, never to the buyer's balance.
 */
export async function applySupplierReply(deps: AppDeps, refId: string, reply: SupplierReply, called: boolean): Promise<ApplyResult> {
  const result = await deps.store.transaction(async (r): Promise<ApplyResult> => {
    // The lock order of every path: the order's row, then its supplier order.
    const order = await r.orders.lockByPublicId(refId);
    const so = order && (await r.supplier.lock(refId));
    if (!order || !so) return 'unknown_ref';
    if (so.status === 'success' || so.status === 'failed') {
      const contradicts = (reply.outcome === 'success' || reply.outcome === 'failed') && reply.outcome !== so.status;
      if (!contradicts) return 'unchanged';
      await notifyAdmins(deps, r, deps.texts.adminTopupConflict(order, so.status, reply), order.orderId);
      return 'conflict';
    }
    const record = (status: SupplierOrder['status'], next: Date | null) =>
      r.supplier.record(refId, { status, rc: reply.rc, message: reply.message, sn: reply.sn, price: reply.price, reply: reply.raw, nextCheckAt: next, called });
    if (reply.outcome === 'success') {
      await record('success', null);
      if (order.status !== 'paid') {
        // Refunded by an admin while the supplier was silent: the buyer has the money back; a person decides.
        await notifyAdmins(deps, r, deps.texts.adminTopupConflict(order, 'refunded', reply), order.orderId);
        return 'conflict';
      }
      await r.outbox.enqueue({ to: order.waId, text: deps.texts.topupDelivered(order, reply.sn ?? '-'), kind: 'delivery', orderId: order.orderId });
      await moveOrder(r, order, 'delivered');
      deps.telemetry.topup('delivered');
      return 'delivered';
    }
    if (reply.outcome === 'failed') {
      await record('failed', null);
      const cause = failureOf(reply.rc);
      if (cause.admin) await notifyAdmins(deps, r, deps.texts.adminTopupFailed(order, reply.rc ?? '', reply.message), order.orderId);
      if (order.status !== 'paid') return 'unchanged';
      await refund(deps, r, order, cause.reason, reply.message);
      return 'refunded';
    }
    // Pending or unknown: asked again later with the same ref_id. Once the supplier said Pending it
    // has the transaction, so a later timeout does not make it unknown again.
    const status = so.status === 'pending' || reply.outcome === 'pending' ? 'pending' : 'unknown';
    const now = deps.clock.now();
    const next = called ? nextCheckAt(so.createdAt, so.attempts + 1, now) : (so.nextCheckAt ?? nextCheckAt(so.createdAt, so.attempts, now));
    await record(status, next);
    if (so.status === 'queued' && order.status === 'paid') {
      await r.outbox.enqueue({ to: order.waId, text: deps.texts.topupProcessing(order), kind: 'notice', orderId: order.orderId });
    }
    if (next === null && so.escalatedAt === null) await notifyAdmins(deps, r, deps.texts.adminTopupStuck(order, so), order.orderId);
    return 'waiting';
  });
  if (reply.balance !== null) await watchBalance(deps, reply.balance).catch((err: unknown) => deps.log.warn({ err }, 'supplier balance not recorded'));
  return result;
}

/** Calls the supplier for one leased top-up (the order the first time, a status check after) and applies the answer. */
export async function callSupplier(deps: AppDeps, so: SupplierOrder): Promise<ApplyResult> {
  const supplier = deps.supplier;
  if (!supplier) throw new Error('no supplier is configured');
  const req = { refId: so.refId, sku: so.sku, customerNo: so.customerNo, maxPrice: so.maxPrice };
  const started = performance.now();
  const reply = so.attempts === 0 ? await supplier.order(req) : await supplier.check(req);
  deps.telemetry.supplierCall(reply.outcome, (performance.now() - started) / 1000);
  if (reply.outcome === 'unknown') deps.log.warn({ orderId: so.refId, attempt: so.attempts + 1, why: reply.message }, 'supplier answer unknown; asking again later with the same ref_id');
  else deps.log.info({ orderId: so.refId, outcome: reply.outcome, rc: reply.rc }, 'supplier answered');
  return applySupplierReply(deps, so.refId, reply, true);
}

/** Top-ups the supplier has not settled for a day: the admins hear of each once. */
export async function escalateStuck(deps: AppDeps): Promise<number> {
  return deps.store.transaction(async (r) => {
    const stuck = await r.supplier.escalate(ESCALATE_AFTER_MS / 3_600_000);
    for (const so of stuck) {
      const order = await r.orders.findByPublicId(so.refId);
      if (order) await notifyAdmins(deps, r, deps.texts.adminTopupStuck(order, so), order.orderId);
    }
    return stuck.length;
  });
}

/** Records the supplier deposit; the admins hear once when it drops below SUPPLIER_LOW_BALANCE. */
export async function watchBalance(deps: AppDeps, balance: number): Promise<void> {
  const name = deps.supplier?.name ?? 'digiflazz';
  const low = deps.settings.supplierLowBalance;
  const crossed = await deps.store.direct.supplier.setBalance(name, balance, low);
  if (crossed) await deps.store.transaction((r) => notifyAdmins(deps, r, deps.texts.adminSupplierLow(balance, low)));
}

const SYNC_EVERY_S = 300;

/**
 * Syncs the supplier's price list into the top-up products' cost and availability,
 * at most once per 5 minutes across processes (rc 83 respected), and the deposit.
 * `force` ignores the schedule (`.setsku` with nothing cached yet).
 */
export async function syncSupplier(deps: AppDeps, force = false): Promise<'synced' | 'skipped' | 'rate_limited'> {
  const supplier = deps.supplier;
  if (!supplier) return 'skipped';
  const repo = deps.store.direct.supplier;
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
    deps.log.info({ skus: list.length, risen: risen.length }, 'supplier price list synced');
  } catch (err) {
    await repo.syncDone(supplier.name, (err as Error).message, 60).catch(() => undefined);
    throw err;
  }
  await watchBalance(deps, await supplier.balance()).catch((err: unknown) => deps.log.warn({ err }, 'supplier balance not read'));
  return 'synced';
}

/** `.setsku CODE SKU`: the product becomes a top-up of that SKU (checked against the price list); `-` makes it a stock product again. */
export async function setSku(deps: AppDeps, code: string, sku: string): Promise<{ code: string; sku: string | null; cost: number | null }> {
  const upper = code.toUpperCase();
  const product = await deps.store.direct.products.findByCode(upper);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  // In a transaction, so the catalogue's cache is dropped before the reply: sellable at once.
  if (sku === '-') {
    await deps.store.transaction((r) => r.supplier.setSku(upper, null));
    return { code: upper, sku: null, cost: null };
  }
  if (!deps.supplier) throw new DomainError('TOPUP_UNAVAILABLE', { code: upper, why: 'no_supplier' });
  if (product.available > 0) throw new DomainError('PRODUCT_HAS_STOCK', { code: upper, available: product.available });
  let offer = await deps.store.direct.supplier.price(sku);
  if (!offer && (await deps.store.direct.supplier.state(deps.supplier.name)).skus === 0) {
    await syncSupplier(deps, true);
    offer = await deps.store.direct.supplier.price(sku);
  }
  if (!offer) throw new DomainError('UNKNOWN_SKU', { sku: sku.slice(0, 64) });
  await deps.store.transaction((r) => r.supplier.setSku(upper, offer.sku));
  return { code: upper, sku: offer.sku, cost: offer.cost };
}

/** `.supplier`: the deposit asked live (the stored one when the supplier does not answer), the price list's sync, the open top-ups. */
export async function supplierStatus(deps: AppDeps): Promise<(SupplierState & { name: string; live: number | null }) | null> {
  const supplier = deps.supplier;
  if (!supplier) return null;
  const live = await supplier.balance().catch((err: unknown) => (deps.log.warn({ err }, 'supplier balance not read'), null));
  if (live !== null) await watchBalance(deps, live).catch(() => undefined);
  return { ...(await deps.store.direct.supplier.state(supplier.name)), name: supplier.name, live };
}

/**
 * An admin refunds a paid top-up by hand: allowed once the supplier has been silent
 * for a day (the admins were told), and the supplier order is closed as failed so
 * kedai stops asking. Should the supplier deliver after all, the admins hear of it.
 */
export async function giveUpOnSupplier(r: Repos, order: Order): Promise<void> {
  const so = await r.supplier.lock(order.publicId);
  if (!so || so.status === 'failed') return;
  if (so.status === 'success' || so.escalatedAt === null) throw new DomainError('TOPUP_OPEN', { orderId: order.publicId });
  await r.supplier.record(so.refId, { status: 'failed', rc: null, message: 'refunded by an admin', sn: null, price: null, reply: null, nextCheckAt: null, called: false });
}
