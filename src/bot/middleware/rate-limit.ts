import type { BuyLockGate } from '../../app/buy-lock.js';
import { noTelemetry, type RateLimiter, type Telemetry } from '../../app/ports.js';
import { passed, type Middleware } from '../context.js';

export interface RateLimitOptions {
  buyPerMin: number;
  cmdPerMin: number;
  /** The window; one minute in production, shorter in tests. */
  windowMs?: number;
  telemetry?: Telemetry;
  /** The buy lock a buy-class command takes with the hit, in one round trip, where the limiter can; given back after the command unless a use case adopted it. */
  buyLocks?: BuyLockGate;
}

/**
 * Before the buy lock: buy-class commands and all other commands are
 * counted apart, per user, in a fixed window (`ratelimit:{user}:buy|cmd`).
 * The first blocked message of a window gets one warning with the wait; the
 * rest are dropped silently so a flood does not get a flood back. Admins are
 * not limited. A message is counted only after the dedupe let it through, so a
 * webhook Meta replays never costs the buyer a slot. The verdict is a check,
 * awaited by `checkpoint`.
 */
export function rateLimit(limiter: RateLimiter, opts: RateLimitOptions): Middleware {
  const windowMs = opts.windowMs ?? 60_000;
  return async (ctx, next) => {
    if (ctx.isAdmin || !ctx.command) return next();
    // The command table says how it counts; an unknown command counts as any other.
    const kind = ctx.commandEntry?.limit ?? 'cmd';
    const limit = kind === 'buy' ? opts.buyPerMin : opts.cmdPerMin;
    const earlier = [...ctx.checks];
    const send = ctx.reply;
    // Counted only once the earlier checks let it through: a replayed or duplicate message never takes a slot.
    const verdict = passed(earlier).then(async (mayGoOn) => {
      if (!mayGoOn) return false;
      const key = `ratelimit:${ctx.msg.from}:${kind}`;
      const lock = kind === 'buy' && limiter.hitAndLock && opts.buyLocks ? opts.buyLocks.request(ctx.msg.from) : null;
      const both = lock ? await limiter.hitAndLock!(key, limit, windowMs, lock) : null;
      const result = both ?? (await limiter.hit(key, limit, windowMs));
      if (lock && both?.lock) ctx.buyLock = { key: lock.key, owner: lock.owner, attempt: both.lock, adopted: false };
      if (!result.allowed) (opts.telemetry ?? noTelemetry).rateLimited(kind);
      if (!result.allowed && result.count === limit + 1) {
        await send(ctx.texts.rateLimited(kind, limit, Math.max(1, Math.ceil(result.resetInMs / 1000))));
      }
      return result.allowed;
    });
    ctx.checks.push(verdict);
    try {
      await next();
    } finally {
      // Refused before a use case adopted it (a stale message, bad input): the lock goes back now.
      if (opts.buyLocks) await verdict.catch(() => false).then(() => opts.buyLocks!.giveBackUnadopted(ctx.buyLock));
    }
  };
}
