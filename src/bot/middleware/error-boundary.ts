import type { Log } from '../../app/deps.js';
import { isDomainError } from '../../domain/errors.js';
import type { Middleware } from '../context.js';

/**
 * Turns what the rest of the pipeline throws into one reply: an expected
 * DomainError into its message, anything else (database down, a bug) into a
 * short apology. The user never sees a stack trace.
 */
export const errorBoundary =
  (log: Log): Middleware =>
  async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const text = isDomainError(err) ? ctx.texts.error(err.code, err.params, ctx.prefix) : ctx.texts.systemError();
      if (!isDomainError(err)) log.error({ err, messageId: ctx.msg.id, command: ctx.command?.name }, 'command failed');
      await ctx.reply(text).catch((sendErr: unknown) => log.error({ err: sendErr, messageId: ctx.msg.id }, 'error reply not sent'));
    }
  };
