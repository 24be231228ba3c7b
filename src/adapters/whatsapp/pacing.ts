import { RetryLater, type InboundMessage, type OutboundMessage, type Transport } from '../../app/ports.js';

/**
 * Baileys' pace: one message at a time, each gap jittered ±25%, so a WhatsApp Web
 * number never sends in the machine-like bursts that get numbers banned. Sends
 * keep the order in which they were asked for. The pace is per process.
 */
export function humanPaced(inner: Transport, perSecond: number, random: () => number = Math.random): Transport {
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

export interface BucketOptions {
  /** Tokens that may be spent at once after a quiet spell (default: one second's worth). */
  burst?: number;
  /** After Graph says the number's throughput is exceeded (130429): the pace is halved this long. */
  slowForMs?: number;
  now?: () => number;
}

/**
 * The Cloud API's pace: a token bucket at the number's throughput. Sends go out
 * side by side (the HTTP client keeps its connections alive), as fast as tokens
 * allow, bursts included; each recipient's messages still leave one after the
 * other, in order. When the pace is the limit, value messages (goods, payment
 * links, money notices: `priority: 'value'`) take the next token before chat
 * replies (the catalogue, help). A 130429 from Graph halves the pace for a while.
 */
export function bucketPaced(inner: Transport, perSecond: number, opts: BucketOptions = {}): Transport {
  if (perSecond <= 0) return inner;
  const now = opts.now ?? Date.now;
  const burst = Math.max(1, opts.burst ?? perSecond);
  const slowForMs = opts.slowForMs ?? 60_000;
  let tokens = burst;
  let refilledAt = now();
  let slowUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  const waiting: Record<'value' | 'chat', (() => void)[]> = { value: [], chat: [] };
  /** Per recipient: the last send asked for (the next one waits for it). */
  const lanes = new Map<string, Promise<unknown>>();

  const rate = () => (now() < slowUntil ? perSecond / 2 : perSecond);
  const refill = () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - refilledAt) / 1000) * rate());
    refilledAt = t;
  };
  const pump = () => {
    timer = null;
    refill();
    while (tokens >= 1 && (waiting.value.length || waiting.chat.length)) {
      tokens -= 1;
      (waiting.value.shift() ?? waiting.chat.shift())!();
    }
    if ((waiting.value.length || waiting.chat.length) && !timer) {
      timer = setTimeout(pump, Math.max(1, Math.ceil(((1 - tokens) / rate()) * 1000)));
      timer.unref?.();
    }
  };
  const token = (priority: 'value' | 'chat') =>
    new Promise<void>((resolve) => {
      waiting[priority].push(resolve);
      pump();
    });

  return {
    name: inner.name,
    start: (onMessage: (msg: InboundMessage) => Promise<void>) => inner.start(onMessage),
    stop: () => inner.stop(),
    send(to: string, msg: OutboundMessage) {
      const before = lanes.get(to) ?? Promise.resolve();
      const sent = before
        .catch(() => undefined)
        .then(() => token(msg.priority === 'value' ? 'value' : 'chat'))
        .then(() => inner.send(to, msg))
        .catch((err: unknown) => {
          if (err instanceof RetryLater && /130429/.test(err.message)) slowUntil = now() + slowForMs;
          throw err;
        });
      lanes.set(to, sent);
      void sent
        .catch(() => undefined)
        .then(() => {
          if (lanes.get(to) === sent) lanes.delete(to);
        });
      return sent;
    },
  };
}

/** The pace each transport needs: a token bucket for the Cloud API, the human pace for Baileys. */
export function pacedTransport(inner: Transport, perSecond: number): Transport {
  return inner.name === 'cloud' ? bucketPaced(inner, perSecond) : humanPaced(inner, perSecond);
}
