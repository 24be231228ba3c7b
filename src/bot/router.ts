import type { AppDeps } from '../app/deps.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { hasControlCharacters } from '../domain/text.js';
import type { Command, Context, Middleware } from './context.js';

/** A money command older than this on arrival is not carried out. */
export const STALE_AFTER_MS = 10 * 60_000;

/** The command table by name (every alias), refusing a name registered twice. */
export function commandTable(commands: readonly Command[]): ReadonlyMap<string, Command> {
  const byName = new Map<string, Command>();
  for (const c of commands) {
    for (const n of c.names) {
      if (byName.has(n)) throw new Error(`command name ${n} registered twice`);
      byName.set(n, c);
    }
  }
  return byName;
}

/** Right after parsing: which command of the table this is (`ctx.commandEntry`), for the middleware that follows. */
export const identify =
  (table: ReadonlyMap<string, Command>): Middleware =>
  async (ctx, next) => {
    ctx.commandEntry = ctx.command ? (table.get(ctx.command.name) ?? null) : null;
    return next();
  };

export function router(deps: AppDeps): Middleware {
  const route = routeCommand(deps);
  return (ctx) => route(ctx, async () => undefined);
}

function routeCommand(deps: AppDeps): Middleware {
  return async (ctx) => {
    const command = ctx.command;
    if (!command) return;
    const def = ctx.commandEntry;
    if (!def) return ctx.reply(ctx.texts.unknownCommand(ctx.prefix));
    if (def.admin && !ctx.isAdmin) throw new DomainError('NOT_ADMIN');
    if (hasControlCharacters(ctx.msg.text)) throw new DomainError('BAD_CHARACTERS');
    if (def.movesMoney && deps.clock.now().getTime() - ctx.msg.at.getTime() > STALE_AFTER_MS) {
      throw new DomainError('STALE_MESSAGE', { command: command.name, minutes: STALE_AFTER_MS / 60_000 });
    }
    const run = (reply: Context['reply']) => def.run({ ...ctx, command, reply, prefix: ctx.prefix, store: ctx.store, lists: ctx.lists }, deps);
    if (!(def.personal && ctx.msg.group)) return run(ctx.reply);
    // In a group: the answer (or the refusal, which may name a balance or an order) goes to the private chat.
    try {
      await run((text) => ctx.replyPrivately(text));
      await ctx.reply(ctx.texts.sentPrivately());
    } catch (err) {
      if (!isDomainError(err)) throw err;
      await ctx.replyPrivately(ctx.texts.error(err.code, err.params, ctx.prefix));
    }
  };
}

/** Throws the usage error for `command` (a command's first name in the table: its usage text's key) unless `ok`. */
export function usage(ok: boolean, command: string): asserts ok {
  if (!ok) throw new DomainError('INVALID_INPUT', { command });
}
