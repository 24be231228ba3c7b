import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

/** What repositories need from a connection: parameterised queries and raw SQL scripts. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
}

/**
 * One database, whichever engine: a pg pool against a PostgreSQL server, or
 * PGlite (PostgreSQL compiled to WebAssembly) in-process for the embedded mode.
 * Both run the same SQL.
 */
export interface Database extends Sql {
  readonly kind: 'pg' | 'pglite';
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a gzipped tarball (for backups). */
  dump?(): Promise<Blob>;
  /** pg only: connections in use, idle, and callers waiting for one. */
  poolStats?(): { inUse: number; idle: number; waiting: number };
}

export function connectPg(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5_000,
    // A statement stuck behind a lock should fail the command, not hang the bot.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const on = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const res = await client.query(text, params as unknown[] | undefined);
      return res.rows as T[];
    },
    async exec(script: string) {
      await client.query(script);
    },
  });
  return {
    kind: 'pg',
    ...on(pool),
    async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/** dataDir null → in-memory (tests). */
export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? undefined);
  const on = (conn: { query: PGlite['query']; exec: PGlite['exec'] }): Sql => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const res = await conn.query<T>(text, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(script: string) {
      await conn.exec(script);
    },
  });
  return {
    kind: 'pglite',
    ...on(db),
    transaction: <T>(fn: (sql: Sql) => Promise<T>) => db.transaction((tx) => fn(on(tx))),
    close: () => db.close(),
    dump: () => db.dumpDataDir('gzip'),
  };
}

export interface PgErrorLike {
  code?: string;
  constraint?: string;
}

export const pgError = (err: unknown): PgErrorLike =>
  typeof err === 'object' && err !== null ? (err as PgErrorLike) : {};
