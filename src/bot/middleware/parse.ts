import { passed, type Middleware } from '../context.js';
import { parseCommand } from '../parse.js';
import { MAX_MESSAGE } from '../../domain/text.js';

/** Admins may send WhatsApp's whole 65,536 characters (a long `.addstok`); buyers one ordinary message. */
const ADMIN_MAX = 65_536;

/** Only commands go further; ordinary chat is left for the seller to read. The prefixes are a setting. */
export const parse =
  (prefixes: () => readonly string[]): Middleware =>
  async (ctx, next) => {
    if (ctx.msg.unsupported) {
      // A photo or a voice note in a private chat gets a hint; in a group, silence.
      if (!ctx.msg.group && (await passed(ctx.checks))) await ctx.reply(ctx.texts.sendText(prefixes()[0] ?? '.'));
      return;
    }
    const max = ctx.isAdmin ? ADMIN_MAX : MAX_MESSAGE;
    if (ctx.msg.text.length > max) {
      // One short answer and nothing else (in a group only to what looks like a command).
      if (ctx.msg.group && !parseCommand(ctx.msg.text.slice(0, 64), prefixes())) return;
      if (await passed(ctx.checks)) await ctx.reply(ctx.texts.error('MESSAGE_TOO_LONG', { max }, prefixes()[0] ?? '.'));
      return;
    }
    ctx.command = parseCommand(ctx.msg.text, prefixes());
    if (ctx.command) return next();
  };
