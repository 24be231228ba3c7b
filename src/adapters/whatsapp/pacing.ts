import type { InboundMessage, OutboundMessage, Transport } from '../../app/ports.js';

/**
 * Paces every outbound message of a transport (direct replies and the outbox
 * alike) to about `perSecond`, each gap jittered ±25%, so the number does not
 * send in the machine-like bursts that get WhatsApp numbers banned. Sends keep
 * the order in which they were asked for. The pace is per process.
 */
export function pacedTransport(inner: Transport, perSecond: number, random: () => number = Math.random): Transport {
  if (perSecond <= 0) return inner;
  const gapMs = 1000 / perSecond;
  let nextAt = 0;
  let queue: Promise<void> = Promise.resolve();
  return {
    name: inner.name,
    start: (onMessage: (msg: InboundMessage) => Promise<void>) => inner.start(onMessage),
    stop: () => inner.stop(),
    send(to: string, msg: OutboundMessage) {
      const turn = queue.then(async () => {
        const wait = nextAt - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        nextAt = Math.max(Date.now(), nextAt) + gapMs * (0.75 + random() * 0.5);
      });
      queue = turn.catch(() => undefined);
      return turn.then(() => inner.send(to, msg));
    },
  };
}
