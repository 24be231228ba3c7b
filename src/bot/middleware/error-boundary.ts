import type { Log } from '../../app/deps.js';
import { isDomainError } from '../../domain/errors.js';
import type { Middleware } from '../context.js';
import { noTelemetry, type Telemetry } from '../../app/ports.js';

/**
 * Turns what the rest of the pipeline throws into one reply: an expected
 * DomainError into its message, anything else (database down, a bug) into a
 * short apology. The user never sees a stack trace. A message a check turned
 * away (a duplicate, over the rate limit) stays unanswered even when it failed.
 */
export const errorBoundary =
  (log: Log, telemetry: Telemetry = noTelemetry): Middleware =>
  async (ctx, next) => {
    // Later middleware may wrap ctx.reply behind the checks; the apology must not wait on a failed check.
    const send = ctx.reply;
    try {
      await next();
    } catch (err) {
      const verdicts = await Promise.allSettled(ctx.checks);
      if (verdicts.some((v) => v.status === 'fulfilled' && !v.value)) return;
      const text = isDomainError(err) ? ctx.texts.error(err.code, err.params, ctx.prefix) : ctx.texts.systemError();
      if (!isDomainError(err)) {
        log.error({ err, messageId: ctx.msg.id, command: ctx.command?.name }, 'command failed');
        telemetry.error('command');
      }
      await send(text).catch((sendErr: unknown) => log.error({ err: sendErr, messageId: ctx.msg.id }, 'error reply not sent'));
    }
  };
