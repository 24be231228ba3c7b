import type { Log } from '../app/deps.js';

export interface Poller {
  /** Run now (after a commit that made work), and again at once if work arrives meanwhile. */
  kick(): void;
  start(): void;
  stop(): Promise<void>;
  /** Resolves once no round is running. */
  idle(): Promise<void>;
}

/**
 * Runs `round` every `pollMs` and on `kick()`, never two at once. A round that
 * reports a full batch is followed by another at once. Errors are logged and
 * the next poll tries again: background work never crashes the process.
 */
export function createPoller(name: string, round: () => Promise<{ full: boolean }>, log: Log, pollMs: number): Poller {
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        if ((await round()).full) again = true;
      } catch (err) {
        log.error({ err, job: name }, 'background round failed; retrying at the next poll');
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

/**
 * Equal jitter: half of an exponentially growing cap (`base`, 2×, 4× … `max` seconds) plus a
 * random part up to the other half. Retries of many rows still spread out, but none comes
 * straight back (full jitter could retry a failed send a few milliseconds later, into the same outage).
 */
export const backoffSeconds = (attempts: number, base = 5, max = 600): number => {
  const cap = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return cap / 2 + Math.random() * (cap / 2);
};

/**
 * A poller whose rounds start work that goes on after the round (a worker with
 * slots): `stop` and `idle` wait for that work too, and `running(false)` tells
 * the worker it is stopping, so a finishing slot does not kick a new round.
 */
export function withSlots(poller: Poller, inFlight: () => Iterable<Promise<unknown>>, running: (on: boolean) => void): Poller {
  return {
    kick: poller.kick,
    start() {
      running(true);
      poller.start();
    },
    async stop() {
      running(false);
      await poller.stop();
      await Promise.all([...inFlight()]);
    },
    async idle() {
      for (;;) {
        await poller.idle();
        const work = [...inFlight()];
        if (work.length === 0) return;
        await Promise.all(work);
      }
    },
  };
}
