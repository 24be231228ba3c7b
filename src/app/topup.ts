import { DomainError } from '../domain/errors.js';
import { backupRef, ESCALATE_AFTER_MS, failureOf, orderRefOf, knownRc, nextCheckAt, unsellable, type SupplierOutcome } from '../domain/topup.js';
import type { AppDeps } from './deps.js';
import { watchBalance } from './supplier-account.js';
import { moveOrder, notifyAdmins, creditRefund } from './order-moves.js';
import type { Order, ProductWithStock, Repos, SoldAs, SupplierOrder, SupplierReply } from './ports.js';

/*
 * Supplier top-ups (docs/flow.md, "Top-ups"): a paid top-up is handed to the
 * supplier in the transaction that marked it paid; a worker calls the supplier,
 * and every answer (the call's, a re-check's, a callback's) is applied here.
 * Only a definitive failure refunds, once; a timeout or a 5xx is unknown and is
 * asked again with the same ref_id. The database keeps one supplier order per
 * order, one refund per order, and a final supplier status final.
 */

/** The seller chose to sell top-ups below their cost (a voucher, a role price, a price under the supplier's): `.setinfo jualrugi ya`. */
export const sellsBelowCost = (deps: AppDeps): boolean => /^(ya|yes)$/i.test(deps.settings.stored().topup_below_cost ?? '');

/** Why a top-up product cannot be bought now, checked before any payment; null when it can. */
export function topupRefusal(deps: AppDeps, product: ProductWithStock, price = product.price): 'no_supplier' | 'unavailable' | 'cut_off' | 'unsynced' | 'price' | null {
  if (!product.supplierSku || !deps.suppliers.forSku(product.supplierSku)) return 'no_supplier';
  const why = unsellable(product.offer, deps.clock.now());
  // The supplier's cost above what this buyer pays: never sold at a loss (the admins were told when the cost rose).
  return why ?? (product.offer && product.offer.cost > price && !sellsBelowCost(deps) ? 'price' : null);
}

/** What a top-up is sold as when it is placed: the supplier, the product's SKU and its synced cost now. */
export function soldAsOf(deps: AppDeps, product: ProductWithStock): SoldAs | null {
  const supplier = product.supplierSku ? deps.suppliers.forSku(product.supplierSku) : null;
  if (!supplier || !product.supplierSku || !product.offer) return null;
  // The backup as synced now: tried later only at this cost, and only when it has one.
  const backupBy = product.backup ? deps.suppliers.forSku(product.backup.sku) : null;
  const backup = backupBy && product.backup?.cost && !product.offer.postpaid ? { supplier: backupBy.name, sku: product.backup.sku, cost: product.backup.cost } : null;
  return { supplier: supplier.name, sku: product.supplierSku, cost: product.offer.cost, ...(product.offer.postpaid ? { postpaid: true } : {}), ...(backup ? { backup } : {}) };
}

/**
 * Inside the transaction that marked the top-up paid: writes its supplier order with what
 * the order was sold as (ref_id = the order's public id, that SKU, max_price = that cost),
 * whatever the product says now; when that supplier is no longer the one configured, the
 * order is refunded at once.
 */
export async function handOver(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  const sold = order.soldAs;
  if (!sold || !deps.suppliers.byName(sold.supplier) || !order.target) {
    await refund(deps, r, order, 'unavailable', null);
    return;
  }
  await r.supplier.create({ orderId: order.orderId, supplier: sold.supplier, refId: order.publicId, sku: sold.sku, customerNo: order.target, maxPrice: sold.cost, postpaid: sold.postpaid === true });
}

/**
 * After a definite failure at the first supplier: the order goes to its backup once, under its
 * own reference, when it was sold with one whose cost then was within what the buyer paid
 * (the database refuses it otherwise, and refuses a second live attempt). False: refund instead.
 */
async function tryBackup(deps: AppDeps, r: Repos, order: Order, so: SupplierOrder): Promise<boolean> {
  const backup = order.soldAs?.backup;
  if (so.attempt !== 1 || !backup || !order.target || !deps.suppliers.byName(backup.supplier)) return false;
  if (backup.cost > order.total && !sellsBelowCost(deps)) return false;
  const ref = backupRef(order.publicId);
  await r.supplier.create({ orderId: order.orderId, supplier: backup.supplier, refId: ref, sku: backup.sku, customerNo: order.target, maxPrice: backup.cost, postpaid: false, attempt: 2 });
  // The buyer hears "being processed" once for the order, whichever attempt says it.
  await r.supplier.markProcessingTold(ref);
  if (!so.processingTold) await r.outbox.enqueue({ to: order.waId, text: deps.texts.topupProcessing(order), kind: 'notice', orderId: order.orderId });
  deps.log.info({ orderId: order.publicId, backup: backup.sku }, 'top-up failed at its supplier: handed to the backup');
  deps.wakeSupplier();
  return true;
}

/** A failed top-up's money back to the buyer's balance (once: the ledger allows one refund per order), and the order refunded. */
async function refund(deps: AppDeps, r: Repos, order: Order, reason: ReturnType<typeof failureOf>['reason'], supplierMessage: string | null): Promise<void> {
  await creditRefund(r, order, { note: `top-up failed${supplierMessage ? `: ${supplierMessage}` : ''}`, notice: (balance) => deps.texts.topupFailed(order, reason, balance) });
  deps.telemetry.topup('refunded');
}

/** "Paid, being processed", once per top-up, to a buyer whose order is paid (inside the caller's transaction, the order locked). */
async function tellProcessingIn(deps: AppDeps, r: Repos, order: Order): Promise<void> {
  if (!(await r.supplier.markProcessingTold(order.publicId))) return;
  if (order.status === 'paid') await r.outbox.enqueue({ to: order.waId, text: deps.texts.topupProcessing(order), kind: 'notice', orderId: order.orderId });
}

/** The buyer of a paid top-up hears it is being processed when the supplier has not answered within ~2 s. */
export async function tellProcessing(deps: AppDeps, refId: string): Promise<void> {
  await deps.store.transaction(async (r) => {
    const order = await r.orders.lockByPublicId(orderRefOf(refId));
    if (order && (await r.supplier.lock(refId))) await tellProcessingIn(deps, r, order);
  });
}

/** How long a buyer of a paid top-up waits in silence at most: then "paid, being processed", and the SN follows. */
export const PROCESSING_NOTICE_MS = 2_000;
const HOUR_S = 3_600;
/** "Reported to the admins once": an rc kedai does not know. */
const ONCE_S = 10 * 365 * 24 * HOUR_S;

export type ApplyResult = 'unknown_ref' | 'delivered' | 'refunded' | 'waiting' | 'unchanged' | 'conflict';

/** Where an answer comes from: our own call (`called`), and whether it is about a transaction that may already exist (`recheck`). */
export interface ReplySource {
  called: boolean;
  /** A re-check of a ref_id sent before, or a callback: a refused request says nothing about the transaction. */
  recheck: boolean;
  /** A callback's supplier: an answer about another supplier's order is no answer about it. */
  supplier?: string;
}

/**
 * Applies one supplier answer to its top-up, in one transaction, read for what it says
 * about this transaction. A final state never moves again: a late Pending is ignored, and
 * a contradiction (Gagal after Sukses, the supplier's rc 74 refund) goes to the admins,
 * never to the buyer's balance. A re-check the supplier refused before looking at any
 * transaction (its IP whitelist, key, deposit) is unknown: asked again later, never refunded.
 */
export async function applySupplierReply(deps: AppDeps, refId: string, reply: SupplierReply, source: ReplySource): Promise<ApplyResult> {
  const refusedRecheck = reply.outcome === 'failed' && reply.refused === true && source.recheck;
  const outcome: SupplierOutcome = refusedRecheck ? 'unknown' : reply.outcome;
  let supplierName: string | null = null;
  const result = await deps.store.transaction(async (r): Promise<ApplyResult> => {
    // The lock order of every path: the order's row, then its supplier order.
    const order = await r.orders.lockByPublicId(orderRefOf(refId));
    const so = order && (await r.supplier.lock(refId));
    if (!order || !so) return 'unknown_ref';
    supplierName = so.supplier;
    if (source.supplier !== undefined && source.supplier !== so.supplier) {
      deps.log.warn({ orderId: order.publicId, from: source.supplier, supplier: so.supplier }, "a supplier's callback about another supplier's order: ignored");
      return 'unchanged';
    }
    if (reply.rc && !knownRc(reply.rc) && (await r.supplier.alertDue(so.supplier, `rc:${reply.rc}`, ONCE_S))) {
      await notifyAdmins(deps, r, deps.texts.adminUnknownRc(order, reply), order.orderId);
    }
    // Told at once when the cause is the seller's, once an hour, not once per waiting top-up.
    if (refusedRecheck && failureOf(reply.rc).admin && (await r.supplier.alertDue(so.supplier, `refused:${reply.rc ?? ''}`, HOUR_S))) {
      await notifyAdmins(deps, r, deps.texts.adminRecheckRefused(order, reply), order.orderId);
    }
    if (so.status === 'success' || so.status === 'failed') {
      const contradicts = (outcome === 'success' || outcome === 'failed') && outcome !== so.status;
      if (!contradicts) return 'unchanged';
      await notifyAdmins(deps, r, deps.texts.adminTopupConflict(order, so.status, reply), order.orderId);
      return 'conflict';
    }
    const record = (status: SupplierOrder['status'], next: Date | null) =>
      r.supplier.record(refId, { status, rc: reply.rc, message: reply.message, sn: reply.sn, price: reply.price, reply: reply.raw, nextCheckAt: next, called: source.called, supplierRef: reply.supplierRef ?? null });
    if (outcome === 'success') {
      await record('success', null);
      if (order.status !== 'paid') return settledAfterReversal(deps, r, order, reply);
      // A Sukses is a delivery whatever its SN ("", "-", "N/A"): the supplier's message stands in for it.
      await r.outbox.enqueue({ to: order.waId, text: deps.texts.topupDelivered(order, reply.sn, reply.message), kind: 'delivery', orderId: order.orderId });
      await moveOrder(r, order, 'delivered');
      deps.telemetry.topup('delivered');
      return 'delivered';
    }
    if (outcome === 'failed') {
      await record('failed', null);
      if (order.status !== 'paid') return settledAfterReversal(deps, r, order, reply);
      const cause = failureOf(reply.rc);
      if (cause.admin) await notifyAdmins(deps, r, deps.texts.adminTopupFailed(order, reply.rc ?? '', reply.message), order.orderId);
      // Only a Gagal to the first call (formed or not): never after an unknown or pending answer.
      if (source.called && !source.recheck && (await tryBackup(deps, r, order, so))) return 'waiting';
      await refund(deps, r, order, cause.reason, reply.message);
      return 'refunded';
    }
    // Pending or unknown: asked again later with the same ref_id. Once the supplier said Pending it
    // has the transaction, so a later timeout does not make it unknown again.
    const status = so.status === 'pending' || outcome === 'pending' ? 'pending' : 'unknown';
    const now = deps.clock.now();
    const schedule = deps.suppliers.byName(so.supplier)?.recheckSeconds;
    const next = source.called ? nextCheckAt(so.createdAt, so.attempts + 1, now, schedule) : (so.nextCheckAt ?? nextCheckAt(so.createdAt, so.attempts, now, schedule));
    await record(status, next);
    await tellProcessingIn(deps, r, order);
    if (next === null && so.escalatedAt === null) await notifyAdmins(deps, r, deps.texts.adminTopupStuck(order, so), order.orderId);
    return 'waiting';
  });
  if (reply.balance !== null && supplierName) await watchBalance(deps, supplierName, reply.balance).catch((err: unknown) => deps.log.warn({ err }, 'supplier balance not recorded'));
  return result;
}

/**
 * The supplier's final word on a top-up that is no longer paid: the bank reversed the
 * payment (the supplier could not be stopped), or an admin refunded it. Nothing moves
 * (no SN to a buyer who took the money back, no refund on top of the bank's); the
 * admins hear what it means for them.
 */
async function settledAfterReversal(deps: AppDeps, r: Repos, order: Order, reply: SupplierReply): Promise<ApplyResult> {
  const text = order.status === 'reversed' ? deps.texts.adminTopupAfterReversal(order, reply) : deps.texts.adminTopupConflict(order, 'refunded', reply);
  await notifyAdmins(deps, r, text, order.orderId);
  return 'conflict';
}

/**
 * Calls the supplier for one leased top-up (the order the first time, a status check after)
 * and applies the answer. A buyer whose paid top-up is not answered within ~2 s of the
 * hand-over hears "being processed" while the call goes on.
 */
export async function callSupplier(deps: AppDeps, so: SupplierOrder): Promise<ApplyResult> {
  const supplier = deps.suppliers.byName(so.supplier);
  if (!supplier) throw new Error(`the supplier ${so.supplier} is not configured`);
  const req = { refId: so.refId, sku: so.sku, customerNo: so.customerNo, maxPrice: so.maxPrice, postpaid: so.postpaid, supplierRef: so.supplierRef, zoneLength: so.zoneLength, placedAt: so.createdAt };
  let told: Promise<void> | null = null;
  const timer = so.processingTold
    ? null
    : setTimeout(
        () => (told = tellProcessing(deps, so.refId).catch((err: unknown) => deps.log.warn({ err, orderId: so.refId }, 'processing notice not queued'))),
        Math.max(0, so.createdAt.getTime() + PROCESSING_NOTICE_MS - Date.now()),
      );
  const started = performance.now();
  let reply: SupplierReply;
  try {
    reply = so.sentBefore ? await supplier.check(req) : await supplier.order(req);
  } finally {
    if (timer) clearTimeout(timer);
  }
  // The notice, when it went out, is queued before the answer's own message.
  await told;
  deps.telemetry.supplierCall(reply.outcome, (performance.now() - started) / 1000);
  if (reply.outcome === 'unknown') deps.log.warn({ orderId: so.refId, attempt: so.attempts + 1, why: reply.message }, 'supplier answer unknown; asking again later with the same ref_id');
  else deps.log.info({ orderId: so.refId, outcome: reply.outcome, rc: reply.rc, recheck: so.sentBefore }, 'supplier answered');
  return applySupplierReply(deps, so.refId, reply, { called: true, recheck: so.sentBefore });
}

/** An unsigned callback's re-check comes at least this long after the last call (the supplier asks for calm between checks). */
const HINT_GAP_S = 3;

/**
 * A callback that cannot be verified (no DIGIFLAZZ_WEBHOOK_SECRET) is never applied, but it is a
 * timely hint: that top-up, when open, is re-checked through the signed API at once. False when
 * no open top-up has that ref_id (the caller answers the same either way).
 */
export async function recheckOnHint(deps: AppDeps, refId: string): Promise<boolean> {
  const open = await deps.store.autocommit.supplier.recheckSoon(refId, HINT_GAP_S);
  if (open) {
    deps.wakeSupplier();
    // Due at once, or once the gap after a call that was just made has passed.
    setTimeout(() => deps.wakeSupplier(), HINT_GAP_S * 1000 + 50).unref();
  }
  return open;
}

/** Top-ups the supplier has not settled for a day: the admins hear of each once. */
export async function escalateStuck(deps: AppDeps): Promise<number> {
  return deps.store.transaction(async (r) => {
    const stuck = await r.supplier.escalate(ESCALATE_AFTER_MS / 3_600_000);
    for (const so of stuck) {
      const order = await r.orders.findByPublicId(orderRefOf(so.refId));
      if (order) await notifyAdmins(deps, r, deps.texts.adminTopupStuck(order, so), order.orderId);
    }
    return stuck.length;
  });
}

/**
 * An admin refunds a paid top-up by hand: allowed once the supplier has been silent
 * for a day (the admins were told), and the supplier order is closed as failed so
 * kedai stops asking. Should the supplier deliver after all, the admins hear of it.
 */
export async function giveUpOnSupplier(r: Repos, order: Order): Promise<void> {
  // The backup's attempt, when there is one, is the live one.
  const so = (await r.supplier.lock(backupRef(order.publicId))) ?? (await r.supplier.lock(order.publicId));
  if (!so || so.status === 'failed') return;
  if (so.status === 'success' || so.escalatedAt === null) throw new DomainError('TOPUP_OPEN', { orderId: order.publicId });
  await r.supplier.record(so.refId, { status: 'failed', rc: null, message: 'refunded by an admin', sn: null, price: null, reply: null, nextCheckAt: null, called: false });
}
