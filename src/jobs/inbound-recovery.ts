import type { Log } from '../app/deps.js';
import type { InboundMessage, InboundQueue } from '../app/ports.js';
import { createPoller, type Poller } from './poller.js';

/**
 * Cloud API messages kept before the webhook's 200 and never handled (the process
 * died in between) are handled again: at start all of them (a neighbour's in
 * flight is dropped by the dedupe), later those a minute old, every 30 s.
 */
export function createInboundRecovery(kept: InboundQueue, handle: (m: InboundMessage) => Promise<void>, log: Log): Poller {
  let recoveredOnce = false;
  return createPoller(
    'inbound-recovery',
    async () => {
      const stale = await kept.stale(recoveredOnce ? 60 : 0, 50);
      recoveredOnce = true;
      if (stale.length) log.info({ messages: stale.length }, 'handling inbound messages kept before a restart');
      for (const m of stale) await handle(m).then(() => kept.done(m.id));
      return { full: stale.length === 50 };
    },
    log,
    30_000,
  );
}
