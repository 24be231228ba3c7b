import type { BuyLockGate } from '../../app/buy-lock.js';
import { noTelemetry, type RateLimiter, type Telemetry } from '../../app/ports.js';
import { isDomainError, type ErrorCode } from '../../domain/errors.js';
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
 * A blocked message gets the wait; a flood does not get a flood back: after one
 * warning, the next comes only 5 s later (so a buyer who writes again near the end of
 * the wait hears how long is left, never silence). Admins are not limited. A message
 * is counted only after the dedupe let it through, so a webhook Meta replays never
 * costs the buyer a slot, and a buy-class command refused before it changed anything
 * (an unknown code, a bad voucher, sold out, one in progress) gives its slot back:
 * only attempts count. The verdict is a check, awaited by `checkpoint`.
 */
const WARN_EVERY_MS = 5_000;

/** Refusals that come after an order was written (its payment link could not be made): an attempt all the same. */
const CHANGED_SOMETHING: ReadonlySet<ErrorCode> = new Set(['PAYMENT_UNAVAILABLE']);

export function rateLimit(limiter: RateLimiter, opts: RateLimitOptions): Middleware {
  const windowMs = opts.windowMs ?? 60_000;
  return async (ctx, next) => {
    if (ctx.isAdmin || !ctx.command) return next();
    // The command table says how it counts; an unknown command counts as any other.
    const kind = ctx.commandEntry?.limit ?? 'cmd';
    const limit = kind === 'buy' ? opts.buyPerMin : opts.cmdPerMin;
    const earlier = [...ctx.checks];
    const send = ctx.reply;
    /** The counter this buy-class command took a slot of, to give back if it is refused before anything changed. */
    let counted: string | null = null;
    // Counted only once the earlier checks let it through: a replayed or duplicate message never takes a slot.
    const verdict = passed(earlier).then(async (mayGoOn) => {
      if (!mayGoOn) return false;
      const key = `ratelimit:${ctx.msg.from}:${kind}`;
      const lock = kind === 'buy' && limiter.hitAndLock && opts.buyLocks ? opts.buyLocks.request(ctx.msg.from) : null;
      const both = lock ? await limiter.hitAndLock!(key, limit, windowMs, lock) : null;
      const result = both ?? (await limiter.hit(key, limit, windowMs));
      if (lock && both?.lock) ctx.buyLock = { key: lock.key, owner: lock.owner, attempt: both.lock, adopted: false };
      if (!result.allowed) {
        (opts.telemetry ?? noTelemetry).rateLimited(kind);
        // One warning per 5 s at most: the first blocked message, and any later one after that pause.
        const warn = await limiter.hit(`${key}:warned`, 1, WARN_EVERY_MS);
        if (warn.allowed) await send(ctx.texts.rateLimited(kind, limit, Math.max(1, Math.ceil(result.resetInMs / 1000))));
      }
      counted = result.allowed && kind === 'buy' ? key : null;
      return result.allowed;
    });
    ctx.checks.push(verdict);
    try {
      await next();
      // A question (the game ID's player, the meter's owner): a command's slot, not a buy's; `.ya` is the buy.
      if (counted && ctx.onlyAsked) {
        await limiter.giveBack(counted).catch(() => undefined);
        await limiter.hit(`ratelimit:${ctx.msg.from}:cmd`, opts.cmdPerMin, windowMs).catch(() => undefined);
      }
    } catch (err) {
      // Refused before anything changed: not an attempt, so not counted against the buy limit.
      if (counted && isDomainError(err) && !CHANGED_SOMETHING.has(err.code)) await limiter.giveBack(counted).catch(() => undefined);
      throw err;
    } finally {
      // Refused before a use case adopted it (a stale message, bad input): the lock goes back now.
      if (opts.buyLocks) await verdict.catch(() => false).then(() => opts.buyLocks!.giveBackUnadopted(ctx.buyLock));
    }
  };
}
