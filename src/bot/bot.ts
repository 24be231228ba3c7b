import type { StoreInfo } from '../app/ports.js';
import type { AppDeps } from '../app/deps.js';
import type { InboundDedupe, InboundMessage, OutboundMessage, Transport } from '../app/ports.js';
import { allCommands } from './commands/index.js';
import { compose, type Context, type Middleware } from './context.js';
import { dedupe, resumed } from './middleware/dedupe.js';
import { errorBoundary } from './middleware/error-boundary.js';
import { checkpoint } from './middleware/checkpoint.js';
import { groups } from './middleware/groups.js';
import { users } from './middleware/users.js';
import { parse } from './middleware/parse.js';
import { commandTable, identify, router } from './router.js';
import { PREFIXES } from './parse.js';
import { cutAt, hasControlCharacters, MAX_MESSAGE, withoutControlCharacters } from '../domain/text.js';

/** A reply longer than WhatsApp allows is cut between two characters, with an ellipsis. */
const fit = (text: string) => (text.length <= MAX_MESSAGE ? text : `${cutAt(text, MAX_MESSAGE - 1)}…`);

export interface BotOptions {
  /** Remembers message ids across restarts and processes. */
  seen: InboundDedupe;
  /** Middleware that runs after parsing and before routing (the rate limiter). */
  checks?: readonly Middleware[];
  /** Command prefixes (a setting). */
  prefixes?: () => readonly string[];
  /** Store name and welcome text for `.menu` (settings). */
  storeInfo?: () => StoreInfo;
  /** Messages handled side by side (default `MAX_IN_FLIGHT`); later ones wait their turn, in the order they came. */
  maxInFlight?: number;
}

export interface Bot {
  handle(msg: InboundMessage): Promise<void>;
  /** Resolves when no message is being handled (tests and graceful shutdown). */
  idle(): Promise<void>;
}

/**
 * How many messages one process handles side by side. A burst beyond it (a flash sale's
 * thousands of `.buy` in a second) waits in arrival order, each a message and a closure,
 * instead of each holding a pipeline's state (its context, its frames, its queued statements)
 * while the database and Redis work through the ones before it: a busy process's young
 * generation then copies and promotes less (bench/cloud.ts: the flash sale's peak RSS 132-145
 * -> 125-133 MB). A message gives its place up once its first direct reply leaves (or when it
 * is done): a reply hanging at Graph never holds one, so a slow Graph does not stall the
 * messages behind it. The Cloud API transport has kept every message before its 200, so one
 * waiting here at a kill is handled after the restart.
 */
export const MAX_IN_FLIGHT = 256;

/** transport → Context → error boundary → dedupe → parse → identify → resumed → users → groups → checks (rate limit) → checkpoint → router → handler → replies. */
export function createBot(deps: AppDeps, transport: Transport, opts: BotOptions): Bot {
  const admins = new Set(deps.settings.adminNumbers);
  const commands = allCommands;
  const table = commandTable(commands);
  // Metric labels come from this closed set: what buyers type must not grow the metrics without bound.
  const known = new Set(commands.flatMap((c) => c.names));
  const label = (ctx: Context) => (!ctx.command ? 'none' : known.has(ctx.command.name) ? ctx.command.name : 'unknown');
  const pipeline = compose([
    errorBoundary(deps.log, deps.telemetry),
    dedupe(opts.seen),
    parse(opts.prefixes ?? (() => PREFIXES)),
    identify(table),
    resumed,
    users(deps),
    groups(deps),
    ...(opts.checks ?? []),
    checkpoint,
    router(deps),
  ]);
  const inFlight = new Set<Promise<void>>();
  const lists = transport.name === 'cloud';
  /**
   * A reply goes out at once; one that cannot be sent now (WhatsApp down, a hung call)
   * is not lost and is not turned into an apology: it goes to the outbox, which sends
   * it when it can (in order with that person's other messages) or gives it up with a
   * reason. Only when the database is down as well does the reply fail.
   */
  const durable = async (to: string, msg: OutboundMessage, messageId: string) => {
    try {
      await transport.send(to, msg);
    } catch (err) {
      deps.log.warn({ err, messageId }, 'reply not sent now; queued in the outbox');
      await deps.store.transaction((r) => r.outbox.enqueue({ to, text: msg.text, kind: 'notice' }));
    }
  };
  /**
   * `arrived`: when the message came in (a wait for a place counts in its response time).
   * `turnOver`: called once, when the message gives its place up (its first reply, or its end).
   */
  const start = (inbound: InboundMessage, arrived: number, turnOver: () => void): Promise<void> => {
    active++;
    let placeFreed = false;
    const givePlace = () => {
      if (placeFreed) return;
      placeFreed = true;
      active--;
      turnOver();
      waiting.shift()?.();
    };
    try {
      return begin(inbound, arrived, givePlace);
    } catch (err) {
      // Whatever failed before the pipeline began, the place and the sender's turn are not kept.
      givePlace();
      return Promise.reject(err);
    }
  };
  const begin = (inbound: InboundMessage, arrived: number, givePlace: () => void): Promise<void> => {
    // The sender's profile name is theirs to set, control characters (NUL) included: it is stored and shown.
    const msg = hasControlCharacters(inbound.name) ? { ...inbound, name: withoutControlCharacters(inbound.name) } : inbound;
    let answered = false;
    // Message in → first reply queued (a direct reply, or the end of a command whose reply went to the outbox).
    const timed = () => {
      givePlace();
      if (answered) return;
      answered = true;
      deps.telemetry.responded(label(ctx), (performance.now() - arrived) / 1000);
    };
    deps.telemetry.message('in');
    const ctx: Context = {
      msg,
      texts: deps.texts,
      isAdmin: admins.has(msg.from),
      command: null,
      commandEntry: null,
      checks: [],
      get prefix() {
        return this.command?.prefix ?? '.';
      },
      // No direct reply is longer than one WhatsApp message (goods, which may be, go through the outbox).
      reply: async (text, list) => {
        timed();
        await durable(msg.chat, list && lists ? { text: fit(text), list } : { text: fit(text) }, msg.id);
      },
      replyPrivately: async (text) => {
        timed();
        await durable(msg.from, { text: fit(text) }, msg.id);
      },
      lists,
      store: opts.storeInfo?.() ?? { name: '', welcome: '', contact: '', hours: '', payment: '' },
    };
    const run = pipeline(ctx).finally(() => {
      if (ctx.command) timed();
      givePlace();
      inFlight.delete(run);
    });
    inFlight.add(run);
    return run;
  };
  const max = opts.maxInFlight ?? MAX_IN_FLIGHT;
  /** Messages holding a place: started, their first reply not yet sent. */
  let active = 0;
  /** Messages waiting for a free place, oldest first: each holds its message and this closure, not a pipeline's state. */
  const waiting: (() => void)[] = [];
  let queued = 0;
  /** Per sender: their latest message's turn, over once it has answered (or ended). */
  const turns = new Map<string, Promise<void>>();
  const admit = (inbound: InboundMessage, arrived: number, answered: () => void): Promise<void> => {
    if (active < max && waiting.length === 0) return start(inbound, arrived, answered);
    queued++;
    return new Promise<void>((resolve, reject) => {
      waiting.push(() => {
        queued--;
        start(inbound, arrived, answered).then(resolve, reject);
      });
    });
  };
  return {
    /**
     * A sender's messages are handled one after another, each once the one before it has
     * answered: a `.saldo` sent right after a `.buy` shows the balance the purchase left, and
     * replies come in the order they were asked for. A message waiting for its sender's turn
     * holds no place; a reply hanging at WhatsApp does not hold the sender's next message (the
     * turn passes when the reply is handed to the transport), nor anyone else's.
     */
    handle(inbound) {
      const arrived = performance.now();
      const previous = turns.get(inbound.from);
      let answered = () => undefined as void;
      const turn = new Promise<void>((resolve) => (answered = resolve));
      turns.set(inbound.from, turn);
      void turn.then(() => {
        if (turns.get(inbound.from) === turn) turns.delete(inbound.from);
      });
      if (!previous) return admit(inbound, arrived, answered);
      queued++;
      return previous.then(() => {
        queued--;
        return admit(inbound, arrived, answered);
      });
    },
    async idle() {
      while (inFlight.size || queued) await (inFlight.size ? Promise.allSettled([...inFlight]) : new Promise((r) => setImmediate(r)));
    },
  };
}
