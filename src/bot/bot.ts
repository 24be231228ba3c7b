import type { AppDeps } from '../app/deps.js';
import type { InboundMessage, Transport } from '../app/ports.js';
import { accountCommands } from './commands/account.js';
import { adminCommands } from './commands/admin.js';
import { buyCommands } from './commands/buy.js';
import { catalogueCommands } from './commands/catalogue.js';
import { compose, type Context, type Middleware } from './context.js';
import { dedupe } from './middleware/dedupe.js';
import { errorBoundary } from './middleware/error-boundary.js';
import { parse } from './middleware/parse.js';
import { router } from './router.js';

export interface BotOptions {
  /**
   * Middleware that runs after parsing and before routing: the seam for the
   * Redis rate limiter and transaction lock (issue 3).
   */
  guards?: readonly Middleware[];
}

export interface Bot {
  handle(msg: InboundMessage): Promise<void>;
  /** Resolves when no message is being handled (tests and graceful shutdown). */
  idle(): Promise<void>;
}

/** transport → Context → error boundary → dedupe → parse → guards → router → handler → replies. */
export function createBot(deps: AppDeps, transport: Transport, opts: BotOptions = {}): Bot {
  const admins = new Set(deps.settings.adminNumbers);
  const pipeline = compose([
    errorBoundary(deps.log),
    dedupe(),
    parse,
    ...(opts.guards ?? []),
    router([...catalogueCommands, ...buyCommands, ...accountCommands, ...adminCommands], deps),
  ]);
  const inFlight = new Set<Promise<void>>();
  return {
    handle(msg) {
      const ctx: Context = {
        msg,
        texts: deps.texts,
        isAdmin: admins.has(msg.from),
        command: null,
        get prefix() {
          return this.command?.prefix ?? '.';
        },
        reply: (text) => transport.send(msg.chat, { text }),
      };
      const run = pipeline(ctx).finally(() => inFlight.delete(run));
      inFlight.add(run);
      return run;
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
