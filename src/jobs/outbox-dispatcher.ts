import type { Log } from '../app/deps.js';
import { OutsideWindow, PermanentSendError, RetryLater, SendingBlocked, type OutboxQueue, type OutboxRow, type Receipt, type SendingPause, type Transport } from '../app/ports.js';
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
  /** While sending is paused: how often one message is tried as a probe. */
  probeSeconds?: number;
  /** An approved template is configured: a message refused outside the 24-hour window goes again as that template. */
  templateFallback?: boolean;
}

export type OutboxDispatcher = Poller & {
  /** Why sending is paused (WhatsApp refused the token or a permission), or null. */
  paused(): SendingPause | null;
  /** Applies a status WhatsApp reported later for a sent message. */
  receipt(r: Receipt): Promise<void>;
};

/**
 * Sends outbox rows through the transport, oldest first. A failed send is
 * retried with backoff and, after `maxAttempts` (or at once when WhatsApp refused
 * it for good), left dead and reported to the admins; a recipient's later rows wait
 * until the earlier one is sent or dead, so one person's messages stay in order.
 * A crash between send and "sent" means the row is sent again after its lease:
 * at least once, never lost. A rate limit postpones a row without counting it; a
 * refused sender (token, permission) pauses all sending without giving anything up.
 */
export function createOutboxDispatcher(queue: OutboxQueue, transport: Transport, log: Log, opts: DispatcherOptions = {}): OutboxDispatcher {
  const { pollMs = 1_000, batchSize = 20, maxAttempts = 8, leaseSeconds = 60, probeSeconds = 15 } = opts;
  // Paused when WhatsApp refuses the sender itself (a token, a permission): nothing is the
  // messages' fault, so none is given up; every `probeSeconds` one message is tried, and
  // the first that goes through resumes sending.
  let pause: (SendingPause & { nextProbe: number }) | null = null;
  const poller = createPoller(
    'outbox',
    async () => {
      if (pause && Date.now() < pause.nextProbe) return { full: false };
      // At most one row per recipient (the oldest unsent): the claim keeps each person's
      // order, so the rows of a round go side by side (in claim order, for a paced
      // transport) and are marked sent together: one commit per round, not per message.
      const rows = await queue.claim(pause ? 1 : batchSize, leaseSeconds);
      const sent: { outboxId: string; providerIds: string[] }[] = [];
      await Promise.all(
        rows.map(async (row) => {
          try {
            const ids = await transport.send(row.recipient, row.asTemplate ? { text: row.body, template: true } : row.image ? { text: row.body, image: row.image } : { text: row.body });
            sent.push({ outboxId: row.outboxId, providerIds: ids ?? [] });
          } catch (err) {
            await settleFailure(row, err);
          }
        }),
      );
      if (sent.length) await queue.sent(sent);
      if (pause && sent.length) {
        log.info({ pausedSince: pause.since }, 'whatsapp sending resumed: a probe send went through');
        pause = null;
      }
      if (pause) pause.nextProbe = Date.now() + probeSeconds * 1_000;
      // Sending a row makes its recipient's next row eligible: go on until nothing is claimable.
      return { full: rows.length > 0 && !pause };
    },
    log,
    pollMs,
  );

  async function settleFailure(row: OutboxRow, err: unknown): Promise<void> {
    const error = (err as Error).message ?? String(err);
    if (err instanceof SendingBlocked) {
      if (!pause) log.error({ code: err.code, reason: error }, 'whatsapp refused the sender: sending paused until a probe send works (check the access token and permissions)');
      pause ??= { reason: error, since: new Date(), nextProbe: 0 };
      await queue.postpone(row.outboxId, probeSeconds, error);
      return;
    }
    opts.onFailure?.();
    if (err instanceof OutsideWindow && opts.templateFallback && !row.asTemplate) {
      log.info({ outboxId: row.outboxId }, 'outside the 24-hour window: sending again as the notice template');
      await queue.asTemplate(row.outboxId, error);
      return;
    }
    if (err instanceof RetryLater) {
      log.warn({ outboxId: row.outboxId, retryInSeconds: err.retryInSeconds, reason: error }, 'outbound message held back by a rate limit');
      await queue.postpone(row.outboxId, Math.max(err.retryInSeconds, backoffSeconds(row.attempts)), error);
      return;
    }
    const dead = row.attempts >= maxAttempts || err instanceof PermanentSendError;
    log.warn({ err, outboxId: row.outboxId, attempts: row.attempts, dead }, 'outbound message not sent');
    await queue.failed(row.outboxId, error, dead ? null : backoffSeconds(row.attempts));
    if (dead) await opts.onDead?.(row, error).catch((e: unknown) => log.error({ err: e, outboxId: row.outboxId }, 'dead-letter notice failed'));
  }

  /**
   * WhatsApp's later word on a sent message: `delivered` and `read` are recorded; a
   * `failed` status is settled like a synchronous refusal of that row (sent again
   * later, paused, or given up with its reason).
   */
  async function receipt(r: Receipt): Promise<void> {
    if (r.status === 'delivered' || r.status === 'read') return queue.receipt(r.providerId, r.status, r.at);
    if (r.status !== 'failed') return;
    const row = await queue.sentRow(r.providerId);
    if (!row) return; // not ours, or already settled by an earlier status
    log.warn({ outboxId: row.outboxId, reason: r.error?.message }, 'whatsapp reported a sent message as failed');
    await settleFailure(row, r.error ?? new PermanentSendError('failed status without a reason', 0));
  }

  return Object.assign(poller, { paused: () => (pause ? { reason: pause.reason, since: pause.since } : null), receipt });
}
