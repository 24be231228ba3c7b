import type { Log } from '../app/deps.js';
import type { OutboxQueue, Transport } from '../app/ports.js';

export interface DispatcherOptions {
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  leaseSeconds?: number;
}

export interface OutboxDispatcher {
  /** Send what is due now (called after a commit that queued messages). */
  kick(): void;
  start(): void;
  stop(): Promise<void>;
  /** Resolves once no batch is running and none is queued. */
  idle(): Promise<void>;
}

/** Full jitter: a random wait up to an exponentially growing cap (5 s, 10 s, … 10 min). */
const backoffSeconds = (attempts: number) => Math.random() * Math.min(600, 5 * 2 ** (attempts - 1));

/**
 * Sends outbox rows through the transport, oldest first. A failed send is
 * retried with backoff and, after `maxAttempts`, left dead for an admin to see;
 * later rows for the same recipient wait so one person's messages stay in order.
 * A crash between send and "sent" means the row is sent again after its lease:
 * at least once, never lost.
 */
export function createOutboxDispatcher(queue: OutboxQueue, transport: Transport, log: Log, opts: DispatcherOptions = {}): OutboxDispatcher {
  const { pollMs = 1_000, batchSize = 20, maxAttempts = 8, leaseSeconds = 60 } = opts;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function batch(): Promise<number> {
    const rows = await queue.claim(batchSize, leaseSeconds);
    const blocked = new Set<string>();
    for (const row of rows) {
      if (blocked.has(row.recipient)) {
        await queue.putBack(row.outboxId);
        continue;
      }
      try {
        await transport.send(row.recipient, { text: row.body });
        await queue.sent(row.outboxId);
      } catch (err) {
        blocked.add(row.recipient);
        const dead = row.attempts >= maxAttempts;
        log.warn({ err, outboxId: row.outboxId, attempts: row.attempts, dead }, 'outbound message not sent');
        await queue.failed(row.outboxId, (err as Error).message ?? String(err), dead ? null : backoffSeconds(row.attempts));
      }
    }
    return rows.length;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        if ((await batch()) === batchSize) again = true;
      } catch (err) {
        log.error({ err }, 'outbox dispatch failed; retrying at the next poll');
      }
    } while (again);
  }

  const kick = () => {
    if (running) {
      again = true;
      return;
    }
    running = drain().finally(() => (running = null));
  };

  return {
    kick,
    start() {
      timer ??= setInterval(kick, pollMs);
      kick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    async idle() {
      while (running) await running;
    },
  };
}
