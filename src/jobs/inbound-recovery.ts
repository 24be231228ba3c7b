import type { Log } from '../app/deps.js';
import type { InboundMessage, InboundQueue } from '../app/ports.js';
import { createPoller, type Poller } from './poller.js';

/**
 * Cloud API messages kept before the webhook's 200 and not finished (the process
 * died before it handled them, or before their reply was sent or queued) are handled
 * again: at start all of them, later those a minute old, every 30 s. One the dead
 * process had begun (the dedupe saw it) is answered again if its command changes
 * nothing, otherwise told what to check (bot/middleware/dedupe.ts).
 */
export function createInboundRecovery(kept: InboundQueue, handle: (m: InboundMessage) => Promise<void>, log: Log): Poller {
  let recoveredOnce = false;
  return createPoller(
    'inbound-recovery',
    async () => {
      const stale = await kept.stale(recoveredOnce ? 60 : 0, 50);
      recoveredOnce = true;
      if (stale.length) log.info({ messages: stale.length }, 'handling inbound messages kept before a restart');
      // Side by side, each sender's in the order they came: one reply hanging at WhatsApp holds its sender's next message, not everyone's.
      const bySender = new Map<string, InboundMessage[]>();
      for (const m of stale) bySender.set(m.from, [...(bySender.get(m.from) ?? []), m]);
      const outcomes = await Promise.allSettled(
        [...bySender.values()].map(async (mine) => {
          for (const m of mine) await handle({ ...m, recovered: true }).then(() => kept.done(m.id));
        }),
      );
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
      return { full: stale.length === 50 };
    },
    log,
    30_000,
  );
}
