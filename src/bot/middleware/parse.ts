import type { Middleware } from '../context.js';
import { parseCommand } from '../parse.js';

/** Only commands go further; ordinary chat is left for the seller to read. */
export const parse: Middleware = async (ctx, next) => {
  if (ctx.msg.unsupported) {
    // A photo or a voice note in a private chat gets a hint; in a group, silence.
    if (!ctx.msg.group && (await Promise.all(ctx.gates)).every(Boolean)) await ctx.reply(ctx.texts.sendText(ctx.prefix));
    return;
  }
  ctx.command = parseCommand(ctx.msg.text);
  if (ctx.command) await next();
};
