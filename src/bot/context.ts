import type { AppDeps } from '../app/deps.js';
import type { HeldLock, ListMessage } from '../app/ports.js';
import type { StoreInfo } from '../app/ports.js';
import type { InboundMessage } from '../app/ports.js';
import type { Texts } from '../i18n/index.js';
import type { ParsedCommand } from './parse.js';

/** One inbound message on its way through the pipeline. */
export interface Context {
  readonly msg: InboundMessage;
  readonly texts: Texts;
  readonly isAdmin: boolean;
  /** Set by the parse middleware; later middleware only sees commands. */
  command: ParsedCommand | null;
  /** The command's entry in the command table (set by `identify`); null for an unknown command. */
  commandEntry: Command | null;
  /** A direct reply, for answers that carry no value (reads, errors). Value goes through the outbox. */
  reply(text: string, list?: ListMessage): Promise<void>;
  /** A reply to the sender's private chat (in a group: answers that carry personal data). */
  replyPrivately(text: string): Promise<void>;
  /** The transport shows interactive lists (Cloud API); others get the text. */
  readonly lists: boolean;
  /** The prefix to show in help texts: the one the user typed, `.` otherwise. */
  readonly prefix: string;
  /**
   * Verdicts the message must pass (not a duplicate, within the rate limit). They
   * are started early and awaited late, so their Redis calls share one round trip.
   */
  checks: Promise<boolean>[];
  /** The store's name and welcome text (settings), for `.menu`. */
  readonly store: StoreInfo;
  /** The buy lock, taken with the rate-limit hit for a buy-class command (the use case adopts it; the router gives it back otherwise). */
  buyLock?: HeldLock;
  /** After a restart: this message was in hand when the process died (the dedupe had seen it). */
  resumed?: boolean;
  /** The buy ended in a question (`.ya` to pay) and changed nothing: it counts as a command, the `.ya` as the buy. */
  onlyAsked?: boolean;
}

/**
 * The one way a stage asks whether this message may go on: every check so far
 * (the dedupe, a blocked sender, the rate limit) said yes.
 */
export const passed = (checks: readonly Promise<boolean>[]): Promise<boolean> => Promise.all(checks).then((verdicts) => verdicts.every(Boolean));

export type Next = () => Promise<void>;
export type Middleware = (ctx: Context, next: Next) => Promise<void>;

const done: Promise<void> = Promise.resolve();

/**
 * Chains middleware in order; each decides whether to call `next` (at most once). The chain
 * itself holds no async frame: a message in flight keeps only its middleware's own (an async
 * wrapper per stage and per `next` held ~28 suspended frames and ~47 promises a message, which a
 * busy process's young generation copied and promoted: bench/cloud.ts, a heap snapshot).
 */
export function compose(middleware: readonly Middleware[]): (ctx: Context) => Promise<void> {
  return (ctx) => {
    const run = (i: number): Promise<void> => {
      const mw = middleware[i];
      if (!mw) return done;
      let called = false;
      try {
        return mw(ctx, () => {
          if (called) return Promise.reject(new Error(`middleware ${i} called next() twice`));
          called = true;
          return run(i + 1);
        });
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return run(0);
  };
}

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
  /**
   * Changes nothing (a `readOnly` command is so too): when a restart cut its reply off, it runs
   * again. Any other command cut off is answered with what to check instead (`resumed`).
   */
  repeatable?: boolean;
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
