import type { Middleware } from '../context.js';
import { parseCommand } from '../parse.js';

/** Only commands go further; ordinary chat is left for the seller to read. */
export const parse: Middleware = async (ctx, next) => {
  ctx.command = parseCommand(ctx.msg.text);
  if (ctx.command) await next();
};
