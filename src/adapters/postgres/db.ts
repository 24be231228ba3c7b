import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { ownerOnly } from '../../owner-only.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { Log } from '../../app/deps.js';
import { listenForChanges, type Listening } from './changes.js';

/** What repositories need from a connection: parameterised queries and raw SQL scripts. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
}

/**
 * One database: a pg pool against a PostgreSQL server (DATABASE_URL's, or the
 * embedded one kedai runs in DATA_DIR). PGlite (PostgreSQL compiled to WebAssembly)
 * is opened only to carry a DATA_DIR an earlier kedai wrote over into the server.
 */
export interface Database extends Sql {
  readonly kind: 'pg' | 'pglite';
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * For writes that need not wait for the WAL flush (message dedupe): they may be
   * lost in a server crash, but only together with everything committed after
   * them, since the log is flushed in order. pg: a small second pool with
   * `synchronous_commit=off`; PGlite: the database itself.
   */
  readonly relaxed: Sql;
  /** pg only: connections in use, idle, and callers waiting for one. */
  poolStats?(): { inUse: number; idle: number; waiting: number };
  /**
   * pg only: takes the session advisory lock `key` on a connection of its own, or null when
   * another session holds it. The lock lasts as long as that connection: `lost` resolves when
   * it ends (the server restarted, the network broke, the process died: PostgreSQL frees the
   * lock at once), and `release` ends it. (PGlite is one process per folder: nothing to share.)
   */
  holdLock?(key: number): Promise<LockHold | null>;
  /** pg only: hears the changes other processes announce (changes.ts), on a connection of its own. */
  listenForChanges?(onChanges: (changes: string[]) => void, log: Log): Listening;
}

export interface LockHold {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/**
 * Every parameterised query runs as a named prepared statement: each pooled
 * connection parses and plans a text once, later calls only bind and execute
 * (pg keeps the names per connection). The texts are the constants in the
 * repositories, so the map stays small; past a bound, new texts run unnamed.
 */
const statementNames = new Map<string, string>();
const MAX_STATEMENTS = 2_000;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= MAX_STATEMENTS) return undefined;
    name = `k${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

function pgPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    // A statement stuck behind a lock should fail the command, not hang the bot.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    ...(options ? { options } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export function connectPg(url: string, opts: { max?: number } = {}): Database {
  const pool = pgPool(url, opts.max ?? 10);
  let relaxedPool: pg.Pool | null = null;
  const relaxed = () => (relaxedPool ??= pgPool(url, 4, '-c synchronous_commit=off'));
  const on = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const res = params
        ? await client.query({ name: statementName(text), text, values: params as unknown[] })
        : await client.query(text);
      return res.rows as T[];
    },
    async exec(script: string) {
      await client.query(script);
    },
  });
  return {
    kind: 'pg',
    ...on(pool),
    relaxed: {
      query: (text, params) => on(relaxed()).query(text, params),
      exec: (script) => on(relaxed()).exec(script),
    },
    async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A checked-out client has no pool listener: a connection the server ends meanwhile
      // (a restart, pg_terminate_backend) would emit an unhandled 'error' and kill the process.
      // The query in flight fails on its own; the event is kept so the dead client is discarded, not pooled.
      let broken: Error | undefined;
      const lost = (err: Error) => void (broken = err);
      client.on('error', lost);
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
    close: async () => {
      await Promise.all([pool.end(), relaxedPool?.end()]);
    },
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    holdLock: (key) => holdAdvisoryLock(url, key),
    listenForChanges: (onChanges, log) => listenForChanges(url, onChanges, log),
  };
}

/** A session advisory lock on its own connection, checked every few seconds (a silent network break ends it too). */
async function holdAdvisoryLock(url: string, key: number): Promise<LockHold | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true, statement_timeout: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  const [row] = (await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [key]).catch(async (err: unknown) => {
    await client.end().catch(() => undefined);
    throw err;
  })).rows;
  if (!row?.held) {
    await client.end().catch(() => undefined);
    return null;
  }
  let done = false;
  let resolveLost = () => undefined as void;
  const lost = new Promise<void>((resolve) => (resolveLost = resolve));
  const end = () => {
    if (done) return;
    done = true;
    clearInterval(beat);
    resolveLost();
  };
  client.on('end', end);
  client.on('error', end);
  const beat = setInterval(() => void client.query('SELECT 1').catch(() => (end(), client.end().catch(() => undefined))), 3_000);
  beat.unref();
  return {
    lost,
    async release() {
      end();
      await client.end().catch(() => undefined);
    },
  };
}

/** dataDir null → in-memory (tests). */
/**
 * PGlite's own start parameters, plus a small buffer pool: a one-seller store's data
 * is tens of MB and the operating system caches its files anyway, while PostgreSQL's
 * default 128 MB of shared buffers lives in the WebAssembly heap, in the process's RSS
 * (open: ~280 MB with the default, ~170 MB with 16 MB; README, Performance).
 */
const pgliteStart = (defaults: string[] | undefined) => (defaults ? { startParams: [...defaults, '-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'] } : {});

/** initdb of a new embedded folder, in a child process whose memory goes back to the system when it exits. */
async function initPgliteFolder(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL('../../../scripts/pglite-init.mjs', import.meta.url));
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`creating the embedded database in ${dataDir} failed (exit ${code})`);
}

export async function openPglite(dataDir: string | null, opts: { loadDataDir?: Blob } = {}): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  if (dataDir && !opts.loadDataDir && !existsSync(join(dataDir, 'PG_VERSION'))) await initPgliteFolder(dataDir);
  // Loaded only here: a store on PostgreSQL never opens PGlite (its module alone is ~1 MB of heap and its code pages).
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir ?? undefined, { ...pgliteStart((PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams), ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  // initdb and a restore write the folder's files 0666 whatever the umask (PGlite copies its modes): the owner's only.
  if (dataDir) ownerOnly(dataDir);
  const on = (conn: { query: PGlite['query']; exec: PGlite['exec'] }): Sql => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const res = await conn.query<T>(text, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(script: string) {
      await conn.exec(script);
    },
  });
  const self = on(db);
  return {
    kind: 'pglite',
    ...self,
    relaxed: self,
    transaction: <T>(fn: (sql: Sql) => Promise<T>) => db.transaction((tx) => fn(on(tx))),
    close: () => db.close(),
  };
}

/** Throws when the database does not answer (with the driver's reason). */
export async function ping(sql: Sql): Promise<void> {
  await sql.query('SELECT 1');
}

export interface PgErrorLike {
  code?: string;
  constraint?: string;
}

export const pgError = (err: unknown): PgErrorLike =>
  typeof err === 'object' && err !== null ? (err as PgErrorLike) : {};
