import type { AppDeps } from '../app/deps.js';
import { DomainError } from '../domain/errors.js';
import type { Context, Middleware } from './context.js';
import type { ParsedCommand } from './parse.js';

/** A chat command: its names (Indonesian first, then aliases), who may run it, and what it does. */
export interface Command {
  names: readonly string[];
  admin?: boolean;
  run(ctx: Context & { command: ParsedCommand }, deps: AppDeps): Promise<void>;
}

export function router(commands: readonly Command[], deps: AppDeps): Middleware {
  const byName = new Map<string, Command>();
  for (const c of commands) {
    for (const n of c.names) {
      if (byName.has(n)) throw new Error(`command name ${n} registered twice`);
      byName.set(n, c);
    }
  }
  return async (ctx) => {
    const command = ctx.command;
    if (!command) return;
    const def = byName.get(command.name);
    if (!def) return ctx.reply(ctx.texts.unknownCommand(ctx.prefix));
    if (def.admin && !ctx.isAdmin) throw new DomainError('NOT_ADMIN');
    await def.run({ ...ctx, command, reply: ctx.reply, prefix: ctx.prefix, store: ctx.store, lists: ctx.lists }, deps);
  };
}

/** Throws the usage error for `command` unless `ok`. */
export function usage(ok: boolean, command: string): asserts ok {
  if (!ok) throw new DomainError('INVALID_INPUT', { command });
}
