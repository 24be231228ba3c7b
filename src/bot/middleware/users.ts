import { profileOf } from '../../app/buyer.js';
import type { AppDeps } from '../../app/deps.js';
import type { Middleware } from '../context.js';

/**
 * Blocked buyers get no answer (a check on the cached profile, so it shares the
 * checks' round trip), and the time a buyer last wrote is kept for broadcasts,
 * written at most every 10 minutes per buyer and process so the read path
 * stays free of writes.
 */
export function users(deps: AppDeps, everyMs = 10 * 60_000): Middleware {
  const lastWrite = new Map<string, number>();
  return async (ctx, next) => {
    const { from } = ctx.msg;
    if (!ctx.isAdmin) {
      // A buy-class command's purchase drops the profile it reads here: a miss is not cached for it.
      const check = profileOf(deps, from, ctx.commandEntry?.limit !== 'buy').then((p) => !p.blocked);
      check.catch(() => undefined);
      ctx.checks.push(check);
    }
    const now = Date.now();
    if (now - (lastWrite.get(from) ?? 0) > everyMs) {
      if (lastWrite.size > 100_000) lastWrite.clear();
      lastWrite.set(from, now);
      void deps.store.autocommit.users.touchSeen(from, ctx.msg.name).catch((err: unknown) => deps.log.debug({ err }, 'last-seen not recorded'));
    }
    return next();
  };
}
