import type { Middleware } from '../context.js';

/**
 * A `readOnly` command (the command table says so) runs while the gates decide and
 * its reply waits for the verdicts: the gates' Redis calls and the handler's cache
 * read leave in the same tick, and Redis auto-pipelining makes them one round trip.
 * Every other command waits for the gates before it starts.
 */
export const gatekeeper: Middleware = async (ctx, next) => {
  const passed = Promise.all(ctx.gates).then((verdicts) => verdicts.every(Boolean));
  if (!ctx.spec?.readOnly) {
    if (await passed) await next();
    return;
  }
  const [send, sendPrivately] = [ctx.reply, ctx.replyPrivately];
  ctx.reply = async (text, list) => {
    if (await passed) await send(text, list);
  };
  ctx.replyPrivately = async (text) => {
    if (await passed) await sendPrivately(text);
  };
  await Promise.all([passed, next()]);
};
