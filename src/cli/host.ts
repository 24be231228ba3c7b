import { CONTROL_BODY_LIMIT } from '../http/control.js';
import { readFile } from 'node:fs/promises';
import { connectPg, type Database } from '../adapters/postgres/db.js';
import { openEmbeddedStore, quietLog } from '../adapters/postgres/embedded-store.js';
import { heldBy, lockDataDir, type LockHolder } from '../adapters/postgres/data-lock.js';
import type { AppDeps } from '../app/deps.js';
import { loadConfig, type Config } from '../config.js';
import { openCli } from './context.js';

/*
 * Where a CLI command runs: in a terminal (stdout, the disk, the store under its
 * lock), or, while a bot holds the embedded store, relayed to that bot.
 */

/** What a command works on: the store's database and the use cases' deps. */
export interface CliSession {
  db: Database;
  deps: AppDeps;
}

/**
 * Where a command runs: its output, the files it reads, and the store it works
 * on. In a terminal that is stdout, the disk and the database; in the running bot
 * (`/internal/cli`) it is the reply, the files the CLI sent, and the bot's own store.
 */
export interface CliHost {
  out(line: string): void;
  err(text: string): void;
  readFile(path: string): Promise<string>;
  /** One line from standard input (a secret: never on the command line, where `ps` shows it), after `prompt` on a terminal. */
  readLine(prompt: string): Promise<string>;
  /** Runs `fn` with the database migrated and the deps. */
  session(fn: (cli: CliSession) => Promise<void>): Promise<void>;
  /** Runs `fn` with just the database (no migrations: `migrate` and `verify` must not change it first). */
  database(fn: (db: Database) => Promise<void>): Promise<void>;
}

/** Commands the running bot carries out for the CLI while it holds the embedded store. */
export const THROUGH_THE_BOT: ReadonlySet<string> = new Set(['migrate', 'verify', 'product', 'stock', 'balance', 'orders']);

/** Ends a command relayed to the bot with the bot's exit code (its output is already printed). */
export class Relayed extends Error {
  constructor(readonly code: number) {
    super('relayed');
  }
}

/** The running bot that holds the embedded store, if one does and it can take commands. */
export function runningBot(c: Readonly<Config>): LockHolder | null {
  const holder = c.databaseUrl ? null : heldBy(c.dataDir);
  return holder?.role === 'bot' && holder.token && holder.port ? holder : null;
}

/** Asks the running bot to carry out `argv`; prints what it printed and ends with its exit code. */
async function relay(bot: LockHolder, argv: string[], files: Record<string, string>): Promise<never> {
  const who = `the running kedai (process ${bot.pid}, port ${bot.port})`;
  const body = JSON.stringify({ argv, files });
  if (Buffer.byteLength(body) > CONTROL_BODY_LIMIT) {
    throw new Error(`the command and its files are ${Math.ceil(Buffer.byteLength(body) / 1_048_576)} MB; at most ${CONTROL_BODY_LIMIT / 1_048_576} MB go through ${who}: split the file`);
  }
  const res = await fetch(`http://127.0.0.1:${bot.port}/internal/cli`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(15 * 60_000),
  }).catch((err: unknown) => {
    throw new Error(`${who} holds the store but did not answer (${err instanceof Error ? err.message : String(err)}); if it is stuck, stop it (kill -TERM ${bot.pid}) and run the command again`);
  });
  if (!res.ok) throw new Error(`${who} did not run the command: HTTP ${res.status}`);
  const answer = (await res.json()) as { code: number; out: string; err: string };
  process.stdout.write(answer.out);
  process.stderr.write(answer.err);
  throw new Relayed(answer.code);
}

/**
 * The terminal: stdout, stderr, the disk, and the store (DATABASE_URL, or the
 * embedded folder under its lock). While a bot holds the embedded folder, the
 * command goes to it instead, with the files it read.
 */
export function terminal(argv: string[]): CliHost {
  const files: Record<string, string> = {};
  const viaBot = () => {
    const bot = THROUGH_THE_BOT.has(argv[0] ?? '') ? runningBot(loadConfig()) : null;
    return bot ? relay(bot, argv, files) : null;
  };
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (text) => void process.stderr.write(text),
    async readLine(prompt) {
      if (process.stdin.isTTY) process.stderr.write(prompt);
      let text = '';
      for await (const chunk of process.stdin) {
        text += String(chunk);
        if (text.includes('\n')) break;
      }
      return text.split('\n')[0]!.trim();
    },
    async readFile(path) {
      files[path] = await readFile(path, 'utf8').catch(() => {
        throw new Error(`cannot read ${path}`);
      });
      return files[path];
    },
    async session(fn) {
      await viaBot();
      const cli = await openCli(loadConfig());
      try {
        await fn(cli);
      } finally {
        await cli.close();
      }
    },
    async database(fn) {
      await viaBot();
      const c = loadConfig();
      if (!c.databaseUrl) return withEmbedded(c, fn);
      const db = connectPg(c.databaseUrl, { max: 1 });
      try {
        await fn(db);
      } finally {
        await db.close();
      }
    },
  };
}

/** Runs `fn` on the embedded store, this process holding its folder (refused, naming the holder, while another does). */
export async function withEmbedded<T>(c: Readonly<Config>, fn: (db: Database) => Promise<T>): Promise<T> {
  const release = lockDataDir(c.dataDir, 'cli');
  try {
    const db = await openEmbeddedStore(c.dataDir, quietLog);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}
