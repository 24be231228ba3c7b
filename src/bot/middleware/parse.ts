import type { Middleware } from '../context.js';
import { parseCommand } from '../parse.js';

/** Only commands go further; ordinary chat is left for the seller to read. The prefixes are a setting. */
export const parse =
  (prefixes: () => readonly string[]): Middleware =>
  async (ctx, next) => {
    if (ctx.msg.unsupported) {
      // A photo or a voice note in a private chat gets a hint; in a group, silence.
      if (!ctx.msg.group && (await Promise.all(ctx.gates)).every(Boolean)) await ctx.reply(ctx.texts.sendText(prefixes()[0] ?? '.'));
      return;
    }
    ctx.command = parseCommand(ctx.msg.text, prefixes());
    if (ctx.command) await next();
  };
