import type { AppDeps } from '../app/deps.js';
import type { PaymentInbox } from '../app/ports.js';
import { applyInboxEvent } from '../app/settle-payment.js';
import { backoffSeconds, createPoller, type Poller } from './poller.js';

/**
 * Applies stored payment notifications. An event that cannot be applied yet
 * (gateway unreachable, database error, status not confirmed) stays stored and
 * is retried with backoff: a notification is never lost once answered 200.
 */
export function createInboxWorker(inbox: PaymentInbox, deps: AppDeps, opts: { pollMs?: number; batchSize?: number } = {}): Poller {
  const { pollMs = 2_000, batchSize = 20 } = opts;
  return createPoller(
    'payment-inbox',
    async () => {
      const events = await inbox.claim(batchSize, 60);
      // Different orders are applied side by side (each waits on the gateway's Get Status);
      // one order's events stay in the order they arrived.
      const byOrder = new Map<string, typeof events>();
      for (const e of events) byOrder.set(e.orderRef, [...(byOrder.get(e.orderRef) ?? []), e]);
      await Promise.all(
        [...byOrder.values()].map(async (sameOrder) => {
          for (const e of sameOrder) {
            try {
              const outcome = await applyInboxEvent(deps, e);
              if (!outcome.done) await inbox.retryLater(e.eventId, outcome.reason, backoffSeconds(e.attempts, 2, 300));
            } catch (err) {
              deps.telemetry.error('payment_event');
              deps.log.warn({ err, eventId: e.eventId, orderId: e.orderRef, attempts: e.attempts }, 'payment event not applied yet; will retry');
              await inbox.retryLater(e.eventId, (err as Error).message ?? String(err), backoffSeconds(e.attempts, 2, 300));
            }
          }
        }),
      );
      return { full: events.length === batchSize };
    },
    deps.log,
    pollMs,
  );
}
