import type { InboundDedupe } from '../../app/ports.js';
import type { Middleware } from '../context.js';

/**
 * A message id is handled once. The check is a gate: it starts
 * here and is awaited before anything is done or said (see `gatekeeper`).
 */
export function dedupe(seen: InboundDedupe): Middleware {
  return async (ctx, next) => {
    const gate = seen.firstSeen(ctx.msg.id);
    // Handled here so a message that turns out not to be a command never leaves a rejection unobserved.
    gate.catch(() => undefined);
    ctx.gates.push(gate);
    await next();
  };
}
