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
  let first = true;
  return createPoller(
    'expiry-sweeper',
    async () => {
      // An order left without its payment link by a restart: at start any older than a few
      // seconds (no process makes a link that slowly), later any older than a minute.
      await recoverPaymentLinks(deps, first ? 5 : 60).catch((err: unknown) => deps.log.warn({ err }, 'payment link recovery failed; the next sweep retries'));
      first = false;
      const overdue = await deps.store.read.orders.claimOverdue(batchSize);
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
