import { readFile } from 'node:fs/promises';
import type { Database } from '../adapters/postgres/db.js';
import { openEmbeddedStore, quietLog } from '../adapters/postgres/embedded-store.js';
import { lockDataDir } from '../adapters/postgres/data-lock.js';
import type { AppDeps } from '../app/deps.js';
import { loadConfig, type Config } from '../config.js';
import { openCli, openStore } from './context.js';

/*
 * Where a CLI command runs: a terminal (stdout, the disk, the store), or a test's
 * stand-in for one.
 */

/** What a command works on: the store's database and the use cases' deps. */
export interface CliSession {
  db: Database;
  deps: AppDeps;
}

/** Where a command runs: its output, the files it reads, and the store it works on. */
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

/**
 * The terminal: stdout, stderr, the disk, and the store (DATABASE_URL's, the running
 * bot's embedded server through its socket, or the embedded server under the lock).
 */
export function terminal(): CliHost {
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
    readFile: (path) =>
      readFile(path, 'utf8').catch(() => {
        throw new Error(`cannot read ${path}`);
      }),
    async session(fn) {
      const cli = await openCli(loadConfig());
      try {
        await fn(cli);
      } finally {
        await cli.close();
      }
    },
    async database(fn) {
      const store = await openStore(loadConfig());
      try {
        await fn(store.db);
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * Runs `fn` on the embedded store with this process holding its folder alone (a restore,
 * a move): refused, naming the holder, while a bot or another command holds it.
 */
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
