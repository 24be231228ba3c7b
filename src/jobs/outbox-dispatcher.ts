import type { Log } from '../app/deps.js';
import { PermanentSendError, type OutboxQueue, type OutboxRow, type Transport } from '../app/ports.js';
import { backoffSeconds, createPoller, type Poller } from './poller.js';

export interface DispatcherOptions {
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  leaseSeconds?: number;
  /** Counts failed sends (errors by kind: `send`). */
  onFailure?: () => void;
  /** Called once when a message is given up on (dead letter), to tell the admins. */
  onDead?: (row: OutboxRow, error: string) => Promise<void>;
}

export type OutboxDispatcher = Poller;

/**
 * Sends outbox rows through the transport, oldest first. A failed send is
 * retried with backoff and, after `maxAttempts` (or at once when WhatsApp refused
 * it for good), left dead and reported to the admins; a recipient's later rows wait
 * until the earlier one is sent or dead, so one person's messages stay in order.
 * A crash between send and "sent" means the row is sent again after its lease:
 * at least once, never lost.
 */
export function createOutboxDispatcher(queue: OutboxQueue, transport: Transport, log: Log, opts: DispatcherOptions = {}): OutboxDispatcher {
  const { pollMs = 1_000, batchSize = 20, maxAttempts = 8, leaseSeconds = 60 } = opts;
  return createPoller(
    'outbox',
    async () => {
      // At most one row per recipient (the oldest unsent): the claim keeps each person's
      // order, so the rows of a round go side by side (in claim order, for a paced
      // transport) and are marked sent together: one commit per round, not per message.
      const rows = await queue.claim(batchSize, leaseSeconds);
      const sent: string[] = [];
      await Promise.all(
        rows.map(async (row) => {
          try {
            await transport.send(row.recipient, row.image ? { text: row.body, image: row.image } : { text: row.body });
            sent.push(row.outboxId);
          } catch (err) {
            opts.onFailure?.();
            const dead = row.attempts >= maxAttempts || err instanceof PermanentSendError;
            log.warn({ err, outboxId: row.outboxId, attempts: row.attempts, dead }, 'outbound message not sent');
            const error = (err as Error).message ?? String(err);
            await queue.failed(row.outboxId, error, dead ? null : backoffSeconds(row.attempts));
            if (dead) await opts.onDead?.(row, error).catch((e: unknown) => log.error({ err: e, outboxId: row.outboxId }, 'dead-letter notice failed'));
          }
        }),
      );
      if (sent.length) await queue.sent(sent);
      // Sending a row makes its recipient's next row eligible: go on until nothing is claimable.
      return { full: rows.length > 0 };
    },
    log,
    pollMs,
  );
}
