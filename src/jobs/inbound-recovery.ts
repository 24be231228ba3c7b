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
      for (const m of stale) await handle({ ...m, recovered: true }).then(() => kept.done(m.id));
      return { full: stale.length === 50 };
    },
    log,
    30_000,
  );
}
