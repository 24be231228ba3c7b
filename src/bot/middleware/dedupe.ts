import type { InboundDedupe } from '../../app/ports.js';
import type { Middleware } from '../context.js';

/**
 * A message id is handled once. The check starts
 * here and is awaited before anything is done or said (see `checkpoint`).
 *
 * Except after a restart: a message kept before the 200 stays kept until its reply is sent
 * or queued (the Cloud transport), so one the recovery hands back that the dedupe saw was
 * in hand when the process died, its reply perhaps hanging at WhatsApp. It goes on, marked
 * `resumed` (see `resumed`), so it is answered: never a message counted handled unanswered.
 */
export function dedupe(seen: InboundDedupe): Middleware {
  return async (ctx, next) => {
    if (ctx.msg.recovered) {
      ctx.resumed = !(await seen.firstSeen(ctx.msg.id));
      await next();
      return;
    }
    const check = seen.firstSeen(ctx.msg.id);
    // Handled here so a message that turns out not to be a command never leaves a rejection unobserved.
    check.catch(() => undefined);
    ctx.checks.push(check);
    return next();
  };
}

/**
 * A resumed message (see `dedupe`): a command that changes nothing runs again and answers as
 * usual (the buyer may get that answer twice, never none). Any other command may have done
 * its work before the process died (its goods or link, if any, are in the outbox), so it is
 * not carried out twice: the sender is told to check before sending it again.
 */
export const resumed: Middleware = async (ctx, next) => {
  const entry = ctx.commandEntry;
  if (!ctx.resumed || !ctx.command || !entry || entry.readOnly || entry.repeatable) return next();
  await ctx.reply(ctx.texts.resumedMidway(ctx.msg.text, ctx.prefix));
};
