import type { AppDeps } from '../app/deps.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { hasControlCharacters } from '../domain/text.js';
import type { Context, Middleware } from './context.js';
import type { ParsedCommand } from './parse.js';

/** A chat command: its names (Indonesian first, then aliases), who may run it, and what it does. */
/**
 * Everything kedai knows about a command, in one place: the middleware reads these
 * fields (the rate limiter `limit`, the checkpoint `readOnly`, the group switch
 * `evenWhenGroupOff`), the router the rest.
 */
export interface Command {
  names: readonly string[];
  admin?: boolean;
  /**
   * How the rate limiter counts it: `buy` (starts a money movement: the buy limit, 3 a
   * minute by default) or `cmd`. Mandatory, so a new money command cannot slip past the buy limit.
   */
  limit: 'buy' | 'cmd';
  /** Only reads cached data: it may run while the checks decide (its reply still waits for them). */
  readOnly?: boolean;
  /** Answered in a group where an admin turned the bot off (the switch itself). */
  evenWhenGroupOff?: boolean;
  /**
   * Creates an order or moves money: not carried out when the message is older than
   * STALE_AFTER_MS on arrival (a webhook retried after an outage); the sender is asked to send it again.
   */
  movesMoney?: boolean;
  /** Its answers carry personal data (balance, history, order ids): in a group they go to the private chat. */
  personal?: boolean;
  run(ctx: Context & { command: ParsedCommand }, deps: AppDeps): Promise<void>;
}

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

/** Right after parsing: which command of the table this is (`ctx.spec`), for the middleware that follows. */
export const identify =
  (table: ReadonlyMap<string, Command>): Middleware =>
  async (ctx, next) => {
    ctx.spec = ctx.command ? (table.get(ctx.command.name) ?? null) : null;
    await next();
  };

export function router(deps: AppDeps): Middleware {
  const route = routeCommand(deps);
  return async (ctx) => {
    try {
      await route(ctx, async () => undefined);
    } finally {
      // A buy lock taken with the rate-limit hit that no use case adopted (refused before it ran): given back.
      const held = ctx.buyLock;
      if (held && !held.adopted && held.attempt.acquired) await deps.locks.release(held.key, held.owner).catch(() => undefined);
    }
  };
}

function routeCommand(deps: AppDeps): Middleware {
  return async (ctx) => {
    const command = ctx.command;
    if (!command) return;
    const def = ctx.spec;
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
