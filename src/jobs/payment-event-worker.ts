import type { AppDeps } from '../app/deps.js';
import type { PaymentEvent, PaymentEvents } from '../app/ports.js';
import { settlePaymentEvent } from '../app/settle-payment.js';
import { backoffSeconds, createPoller, withSlots, type Poller } from './poller.js';

/**
 * Applies stored payment notifications. An event that cannot be applied yet
 * (gateway unreachable, database error, status not confirmed) stays stored and
 * is retried with backoff: a notification is never lost once answered 200.
 *
 * Up to `concurrency` events are applied side by side (each waits on the
 * gateway's Get Status), and a free slot takes the next stored event at once:
 * a notification never waits for a whole batch before it to finish. One order's
 * events are applied one after the other, in the order they arrived.
 */
export function createPaymentEventWorker(paymentEvents: PaymentEvents, deps: AppDeps, opts: { pollMs?: number; concurrency?: number } = {}): Poller {
  const { pollMs = 2_000, concurrency = 20 } = opts;
  /** Per order: the last of its events being applied (the next one waits for it). */
  const working = new Map<string, Promise<void>>();
  let applying = 0;
  let stopped = false;

  const apply = async (e: PaymentEvent) => {
    try {
      const outcome = await settlePaymentEvent(deps, e);
      if (!outcome.done) await paymentEvents.retryLater(e.eventId, outcome.reason, backoffSeconds(e.attempts, 2, 300));
    } catch (err) {
      deps.telemetry.error('payment_event');
      deps.log.warn({ err, eventId: e.eventId, orderId: e.orderRef, attempts: e.attempts }, 'payment event not applied yet; will retry');
      // Unrecorded (database down too), the event's lease runs out and it is claimed again.
      await paymentEvents.retryLater(e.eventId, (err as Error).message ?? String(err), backoffSeconds(e.attempts, 2, 300)).catch(() => undefined);
    }
  };

  const poller = createPoller(
    'payment-paymentEvents',
    async () => {
      const free = concurrency - applying;
      if (stopped || free <= 0) return { full: false }; // a finishing event kicks again
      const events = await paymentEvents.claim(free, 60);
      for (const e of events) {
        applying++;
        const mine = (working.get(e.orderRef) ?? Promise.resolve()).then(() => apply(e)).finally(() => {
          applying--;
          if (working.get(e.orderRef) === mine) working.delete(e.orderRef);
          if (!stopped) poller.kick();
        });
        working.set(e.orderRef, mine);
      }
      return { full: events.length === free };
    },
    deps.log,
    pollMs,
  );

  return withSlots(poller, () => working.values(), (on) => (stopped = !on));
}
