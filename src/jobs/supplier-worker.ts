import type { AppDeps } from '../app/deps.js';
import type { SupplierCallbacks, SupplierOrder, SupplierReply } from '../app/ports.js';
import { syncSuppliers } from '../app/supplier-account.js';
import { tellTopupWishers } from '../app/wishes.js';
import { applySupplierReply, callSupplier, escalateStuck, PROCESSING_NOTICE_MS, tellProcessing } from '../app/topup.js';
import { backoffSeconds, createPoller, withSlots, type Poller } from './poller.js';

/**
 * Calls the supplier for top-ups that are due: handed over and never sent, or
 * a re-check whose time came. Rows are leased in the database (longer than a
 * call may take), so several processes share the work and a process killed
 * mid-call leaves its row to another, which asks again with the same ref_id.
 * Up to `concurrency` calls run side by side; a slow supplier holds one slot.
 */
export function createSupplierWorker(deps: AppDeps, opts: { pollMs?: number; concurrency?: number; leaseSeconds?: number } = {}): Poller {
  const { pollMs = 5_000, concurrency = 10, leaseSeconds = 90 } = opts;
  const calls = new Set<Promise<void>>();
  let stopped = false;
  const call = async (so: SupplierOrder) => {
    try {
      await callSupplier(deps, so);
    } catch (err) {
      // Not recorded (the database is down): the lease runs out and the row is called again, same ref_id.
      deps.telemetry.error('supplier');
      deps.log.warn({ err, orderId: so.refId }, 'top-up answer not recorded; the supplier is asked again after the lease');
    }
  };
  const poller = createPoller(
    'supplier',
    async () => {
      if (stopped || deps.suppliers.all.length === 0) return { full: false };
      // A backstop for the call's own two-second timer: a top-up waiting for a free slot, or
      // handed over while this process was busy, still gets its "being processed" in time.
      for (const refId of await deps.store.autocommit.supplier.untold(PROCESSING_NOTICE_MS, 20)) await tellProcessing(deps, refId);
      const free = concurrency - calls.size;
      if (free <= 0) return { full: false };
      const due = await deps.store.autocommit.supplier.claimDue(free, leaseSeconds);
      for (const so of due) {
        const running: Promise<void> = call(so).finally(() => {
          calls.delete(running);
          if (!stopped) poller.kick();
        });
        calls.add(running);
      }
      return { full: due.length === free };
    },
    deps.log,
    pollMs,
  );
  return withSlots(poller, () => calls, (on) => (stopped = !on));
}

/** Applies stored supplier callbacks, oldest first; one that fails is retried with backoff, never dropped. */
export function createSupplierEvents(deps: AppDeps, callbacks: SupplierCallbacks, opts: { pollMs?: number } = {}): Poller {
  return createPoller(
    'supplier-events',
    async () => {
      const events = await callbacks.claim(20, 60);
      for (const e of events) {
        try {
          const result = await applySupplierReply(deps, e.refId, e.body as SupplierReply, { called: false, recheck: true, supplier: e.supplier });
          if (result === 'unknown_ref') deps.log.warn({ orderId: e.refId }, 'supplier callback for an unknown ref_id: kept, not applied');
          await callbacks.markApplied(e.eventId, result);
        } catch (err) {
          deps.telemetry.error('supplier_event');
          deps.log.warn({ err, orderId: e.refId, attempts: e.attempts }, 'supplier callback not applied yet; will retry');
          await callbacks.retryLater(e.eventId, (err as Error).message ?? String(err), backoffSeconds(e.attempts, 2, 300)).catch(() => undefined);
        }
      }
      return { full: events.length === 20 };
    },
    deps.log,
    opts.pollMs ?? 2_000,
  );
}

/** Every minute: the price list when due (at most once per 5 minutes across processes) and top-ups stuck for a day. */
export function createSupplierSync(deps: AppDeps, opts: { pollMs?: number } = {}): Poller {
  return createPoller(
    'supplier-sync',
    async () => {
      await escalateStuck(deps);
      await syncSuppliers(deps);
      // A top-up sellable again (the price list, the cut-off's end): the buyers who asked hear it.
      await tellTopupWishers(deps);
      return { full: false };
    },
    deps.log,
    opts.pollMs ?? 60_000,
  );
}
