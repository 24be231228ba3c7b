import type { Log } from '../app/deps.js';
import { OutsideWindow, PermanentSendError, RetryLater, SendingBlocked, type OutboxQueue, type OutboxRow, type Receipt, type SendingPause, type SentRow, type Transport } from '../app/ports.js';
import { backoffSeconds, createPoller, withSlots, type Poller } from './poller.js';

export interface DispatcherOptions {
  pollMs?: number;
  /** Sends side by side; a free slot takes the next due row at once. */
  concurrency?: number;
  /** Per send: a send that takes longer frees its slot and is retried (the transport's own timeout should come first). */
  sendTimeoutMs?: number;
  maxAttempts?: number;
  leaseSeconds?: number;
  /** Counts failed sends (errors by kind: `send`). */
  onFailure?: () => void;
  /** Whether this process can send now (Baileys: holds the link and is connected); no rows are claimed while it cannot. */
  canSend?: () => boolean;
  /** Called once when a message is given up on (dead letter), to tell the admins. */
  onDead?: (row: OutboxRow, error: string) => Promise<void>;
  /**
   * A returned send is marked sent by the next round, at most this long after it (the round
   * also refills the slots): finished sends share one statement instead of one each.
   */
  settleMs?: number;
  /** While sending is paused: how often one message is tried as a probe. */
  probeSeconds?: number;
  /** An approved template is configured: a message refused outside the 24-hour window goes again as that template. */
  templateFallback?: boolean;
}

/**
 * Sends side by side for a pace of `perSecond` (0: unpaced): enough to keep that pace when each
 * send takes 0.3 s to Meta and back, at least 20, at most 300 (what one process keeps open).
 */
export const sendSlots = (perSecond: number): number => Math.min(300, Math.max(20, Math.ceil(perSecond * 0.3)));

export type OutboxDispatcher = Poller & {
  /** Why sending is paused (WhatsApp refused the token or a permission), or null. */
  paused(): SendingPause | null;
  /** Applies a status WhatsApp reported later for a sent message. */
  receipt(r: Receipt): Promise<void>;
};

/**
 * Sends outbox rows through the transport, oldest first. Up to `concurrency`
 * sends run side by side, each with its own timeout, and a free slot takes the
 * next due row at once: a slow or hanging recipient holds one slot, never the
 * others. A recipient's later rows wait until the earlier one is sent or dead
 * (the claim takes only a recipient's oldest unsent row), so one person's
 * messages stay in order. Each row is marked sent within `settleMs` of its send's
 * return, by the round that also refills the free slots (one statement for both), so
 * a crash re-sends at most the messages in flight at that instant or just returned
 * (after their lease): at least once, never lost. A failed send is retried with backoff and, after
 * `maxAttempts` (or at once when WhatsApp refused it for good), left dead and
 * reported to the admins. A rate limit postpones a row without counting it; a
 * refused sender (token, permission) pauses all sending without giving anything up.
 */
export function createOutboxDispatcher(queue: OutboxQueue, transport: Transport, log: Log, opts: DispatcherOptions = {}): OutboxDispatcher {
  const { pollMs = 1_000, concurrency = 20, maxAttempts = 8, leaseSeconds = 60, probeSeconds = 15, sendTimeoutMs = 30_000, settleMs = 5 } = opts;
  // Paused when WhatsApp refuses the sender itself (a token, a permission): nothing is the
  // messages' fault, so none is given up; every `probeSeconds` one message is tried, and
  // the first that goes through resumes sending.
  let pause: (SendingPause & { nextProbe: number }) | null = null;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  /** Sends that returned, waiting for the round that marks them sent. */
  let settling: { row: SentRow; done(err?: unknown): void }[] = [];
  let settleTimer: NodeJS.Timeout | null = null;

  /** Resolves once the round after it recorded the row as sent (rejects if that round failed). */
  const markSent = (row: SentRow) =>
    new Promise<void>((resolve, reject) => {
      settling.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
      settleTimer ??= setTimeout(() => {
        settleTimer = null;
        poller.kick();
      }, settleMs);
    });

  /** One send under its own deadline (a transport without one cannot hold a slot for ever). */
  const sendOne = async (row: OutboxRow): Promise<string[] | void> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`send timed out after ${sendTimeoutMs} ms`)), sendTimeoutMs);
    });
    try {
      const msg = {
        text: row.body,
        ...(row.asTemplate ? { template: true } : row.image ? { image: row.image } : {}),
        ...(row.value ? { priority: 'value' as const } : {}),
      };
      return await Promise.race([transport.send(row.recipient, msg), deadline]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** Sends a row and settles it; true when it was marked sent (the round that marked it refilled its slot). */
  const deliver = async (row: OutboxRow): Promise<boolean> => {
    try {
      const ids = await sendOne(row);
      await markSent({ outboxId: row.outboxId, providerIds: ids ?? [] });
      if (pause) {
        log.info({ pausedSince: pause.since }, 'whatsapp sending resumed: a probe send went through');
        pause = null;
        poller.kick(); // the round that marked the probe claimed nothing while paused
      }
      return true;
    } catch (err) {
      // Unrecorded (the database is down too), the row's lease runs out and it is claimed again.
      await settleFailure(row, err).catch((e: unknown) => log.warn({ err: e, outboxId: row.outboxId }, 'outbox row not settled; its lease will expire'));
      return false;
    }
  };

  /** How many rows this round may lease: none while the process cannot send or a pause waits for its next probe. */
  const claimable = (settled: number): number => {
    // Not while this process cannot send (Baileys linked in another process, or reconnecting): the rows wait, no attempt spent.
    if (stopped || (opts.canSend && !opts.canSend())) return 0;
    // The sends being marked still hold their slots until this round: theirs are free.
    const busy = inFlight.size - settled;
    if (pause) return Date.now() < pause.nextProbe || busy > 0 ? 0 : 1;
    return Math.max(0, concurrency - busy);
  };

  const poller = createPoller(
    'outbox',
    async () => {
      const marks = settling;
      settling = [];
      const free = claimable(marks.length);
      if (free === 0 && marks.length === 0) return { full: false }; // a finishing send kicks again
      if (pause && free > 0) pause.nextProbe = Date.now() + probeSeconds * 1_000;
      let rows: OutboxRow[];
      try {
        rows = await queue.claim(free, leaseSeconds, marks.map((m) => m.row));
      } catch (err) {
        for (const m of marks) m.done(err);
        throw err;
      }
      for (const m of marks) m.done();
      for (const row of rows) {
        const sending: Promise<void> = deliver(row).then((marked) => {
          inFlight.delete(sending);
          // A failed send frees its slot now (a sent one's was refilled by the round that marked it, which also took the recipient's next row).
          if (!marked && !stopped) poller.kick();
        });
        inFlight.add(sending);
      }
      // A full claim may leave more due rows; a finished send makes its recipient's next row eligible.
      return { full: free > 0 && rows.length === free && !pause };
    },
    log,
    pollMs,
  );

  async function settleFailure(row: OutboxRow, err: unknown): Promise<void> {
    const error = (err as Error).message ?? String(err);
    if (err instanceof SendingBlocked) {
      if (!pause) log.error({ code: err.code, reason: error }, 'whatsapp refused the sender: sending paused until a probe send works (check the access token and permissions)');
      pause ??= { reason: error, since: new Date(), nextProbe: Date.now() + probeSeconds * 1_000 };
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

  return {
    ...withSlots(poller, () => inFlight, (on) => (stopped = !on)),
    paused: () => (pause ? { reason: pause.reason, since: pause.since } : null),
    receipt,
  };
}
