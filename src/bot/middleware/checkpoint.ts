import { passed, type Middleware } from '../context.js';

/**
 * A `readOnly` command (the command table says so) runs while the checks decide and
 * its reply waits for the verdicts: the checks' Redis calls and the handler's cache
 * read leave in the same tick, and Redis auto-pipelining makes them one round trip.
 * Every other command waits for the checks before it starts.
 */
export const checkpoint: Middleware = async (ctx, next) => {
  const mayGoOn = passed(ctx.checks);
  if (!ctx.commandEntry?.readOnly) {
    if (await mayGoOn) await next();
    return;
  }
  const [send, sendPrivately] = [ctx.reply, ctx.replyPrivately];
  ctx.reply = async (text, list) => {
    if (await mayGoOn) await send(text, list);
  };
  ctx.replyPrivately = async (text) => {
    if (await mayGoOn) await sendPrivately(text);
  };
  await Promise.all([mayGoOn, next()]);
};
