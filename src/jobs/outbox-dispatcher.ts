import type { Log } from '../app/deps.js';
import { PermanentSendError, type OutboxQueue, type Transport } from '../app/ports.js';
import { backoffSeconds, createPoller, type Poller } from './poller.js';

export interface DispatcherOptions {
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  leaseSeconds?: number;
}

export type OutboxDispatcher = Poller;

/**
 * Sends outbox rows through the transport, oldest first. A failed send is
 * retried with backoff and, after `maxAttempts`, left dead for an admin to see;
 * later rows for the same recipient wait so one person's messages stay in order.
 * A crash between send and "sent" means the row is sent again after its lease:
 * at least once, never lost.
 */
export function createOutboxDispatcher(queue: OutboxQueue, transport: Transport, log: Log, opts: DispatcherOptions = {}): OutboxDispatcher {
  const { pollMs = 1_000, batchSize = 20, maxAttempts = 8, leaseSeconds = 60 } = opts;
  return createPoller(
    'outbox',
    async () => {
      const rows = await queue.claim(batchSize, leaseSeconds);
      const blocked = new Set<string>();
      for (const row of rows) {
        if (blocked.has(row.recipient)) {
          await queue.putBack(row.outboxId);
          continue;
        }
        try {
          await transport.send(row.recipient, row.image ? { text: row.body, image: row.image } : { text: row.body });
          await queue.sent(row.outboxId);
        } catch (err) {
          blocked.add(row.recipient);
          const dead = row.attempts >= maxAttempts || err instanceof PermanentSendError;
          log.warn({ err, outboxId: row.outboxId, attempts: row.attempts, dead }, 'outbound message not sent');
          await queue.failed(row.outboxId, (err as Error).message ?? String(err), dead ? null : backoffSeconds(row.attempts));
        }
      }
      return { full: rows.length === batchSize };
    },
    log,
    pollMs,
  );
}
