import type { Middleware } from '../context.js';

/**
 * Commands that only read cached data. They run while the gates decide and
 * their reply waits for the verdicts: the gates' Redis calls and the handler's
 * cache read leave in the same tick, and Redis auto-pipelining makes them one
 * round trip. Every other command waits for the gates before it starts.
 */
const SPECULATIVE = new Set(['menu', 'help', 'produk', 'list', 'stok', 'info', 'cs', 'kontak', 'contact', 'saldo', 'balance']);

export const gatekeeper: Middleware = async (ctx, next) => {
  const passed = Promise.all(ctx.gates).then((verdicts) => verdicts.every(Boolean));
  if (!ctx.command || !SPECULATIVE.has(ctx.command.name)) {
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
