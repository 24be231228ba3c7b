import type { AppDeps } from '../app/deps.js';
import { reconcileOrder, recoverPaymentLinks } from '../app/reconcile.js';
import { createPoller, type Poller } from './poller.js';

/**
 * Every ~30 s: pending orders past their expiry are checked with the gateway,
 * then expired (or settled, if the buyer paid and the notification was lost).
 * Orders are leased in the database, so several kedai processes can sweep at once.
 */
export function createExpirySweeper(deps: AppDeps, opts: { pollMs?: number; batchSize?: number } = {}): Poller {
  const { pollMs = 30_000, batchSize = 20 } = opts;
  return createPoller(
    'expiry-sweeper',
    async () => {
      const overdue = await deps.store.autocommit.orders.claimOverdue(batchSize);
      for (const order of overdue) {
        await reconcileOrder(deps, order, { expireIfDue: true }).catch((err: unknown) =>
          deps.log.warn({ err, orderId: order.publicId }, 'expiry check failed; the next sweep retries'),
        );
      }
      return { full: overdue.length === batchSize };
    },
    deps.log,
    pollMs,
  );
}

/**
 * Every 5 s: pending orders left without their payment link (the process died
 * between the order's commit and the gateway call) get it, or are closed with the
 * buyer told. At start any older than 5 s; later only those older than 45 s, past
 * the longest a live process takes to make a link (three attempts of 6 s with backoff),
 * so a neighbour's link in the making is never made twice.
 */
export function createLinkRecovery(deps: AppDeps, opts: { pollMs?: number } = {}): Poller {
  let first = true;
  return createPoller(
    'link-recovery',
    async () => {
      const n = await recoverPaymentLinks(deps, first ? 5 : 45);
      first = false;
      return { full: n === 20 };
    },
    deps.log,
    opts.pollMs ?? 5_000,
  );
}
