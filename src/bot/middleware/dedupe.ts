import type { Middleware } from '../context.js';

/**
 * Drops a message id seen in the last `ttlMs`. In-process only: the durable,
 * multi-process record comes with the real WhatsApp transports (issue 5).
 */
export function dedupe(ttlMs = 10 * 60_000, maxEntries = 50_000): Middleware {
  const seen = new Map<string, number>();
  return async (ctx, next) => {
    const now = Date.now();
    const at = seen.get(ctx.msg.id);
    if (at !== undefined && now - at < ttlMs) return;
    seen.set(ctx.msg.id, now);
    // Map keeps insertion order: the oldest entries go first.
    for (const [id, t] of seen) {
      if (seen.size <= maxEntries && now - t < ttlMs) break;
      seen.delete(id);
    }
    await next();
  };
}
