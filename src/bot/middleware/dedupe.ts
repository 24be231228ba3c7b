import type { InboundDedupe } from '../../app/ports.js';
import type { Middleware } from '../context.js';

/**
 * A message id is handled once. The check starts
 * here and is awaited before anything is done or said (see `checkpoint`).
 */
export function dedupe(seen: InboundDedupe): Middleware {
  return async (ctx, next) => {
    const check = seen.firstSeen(ctx.msg.id);
    // Handled here so a message that turns out not to be a command never leaves a rejection unobserved.
    check.catch(() => undefined);
    ctx.checks.push(check);
    await next();
  };
}
