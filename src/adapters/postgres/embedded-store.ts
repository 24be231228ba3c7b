import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../../app/deps.js';
import { connectPg, openPglite, type Database } from './db.js';
import { startEmbeddedServer } from './embedded-server.js';
import { moveStore } from './move.js';
import { listenForChanges } from './changes.js';

/**
 * The embedded store (no DATABASE_URL): the PostgreSQL server kedai runs in DATA_DIR
 * (embedded-server.ts), as one pool of connections through its socket. Closing it stops
 * the server cleanly. A DATA_DIR an earlier kedai wrote with PGlite is carried over at
 * the first start: every row copied and proven (as `move-to-postgres` does), the old
 * folder kept aside, renamed, never deleted.
 */
export async function openEmbeddedStore(dataDir: string, log: Log): Promise<Database> {
  const server = await startEmbeddedServer({ dataDir, log });
  let db = connectPg(server.url, { max: 10 });
  try {
    await carryOverPglite(dataDir, db, log);
  } catch (err) {
    await db.close().catch(() => undefined);
    await server.stop().catch(() => undefined);
    throw err;
  }
  // A server started again after it died: a fresh pool, so no command meets a connection of the dead one.
  server.onRestart(() => {
    const old = db;
    db = connectPg(server.url, { max: 10 });
    void old.close().catch(() => undefined);
  });
  return {
    kind: 'pg',
    query: (text, params) => db.query(text, params),
    exec: (script) => db.exec(script),
    transaction: (fn) => db.transaction(fn),
    relaxed: { query: (text, params) => db.relaxed.query(text, params), exec: (script) => db.relaxed.exec(script) },
    poolStats: () => db.poolStats!(),
    holdLock: (key) => db.holdLock!(key),
    // The socket's address outlives a restart of the server: one listener reconnects to it.
    listenForChanges: (onChanges, listenLog) => listenForChanges(server.url, onChanges, listenLog),
    async close() {
      await db.close();
      await server.stop();
    },
  };
}

/** An earlier kedai's PGlite folder in DATA_DIR, copied into the server once and set aside. */
async function carryOverPglite(dataDir: string, db: Database, log: Log): Promise<void> {
  const old = join(dataDir, 'pglite');
  if (!existsSync(join(old, 'PG_VERSION'))) return;
  const [{ prepared } = { prepared: false }] = await db.query<{ prepared: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS prepared`);
  // A copy that died half-way left kedai's tables empty (it is one transaction): carried again, not skipped.
  const holdsData = async () =>
    (await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM settings) AS any`))[0]?.any === true;
  if (prepared && (await holdsData())) {
    // Carried before, and the process died before the folder was set aside: the server's copy is the store.
    log.warn({ folder: old }, 'an old PGlite folder is still in DATA_DIR next to the store it was carried into; it is not used (move it away)');
    return;
  }
  log.warn({ folder: old }, 'carrying the embedded store over from PGlite to its PostgreSQL server (once; every row copied and checked)');
  const source = await openPglite(old);
  try {
    const tables = await moveStore(source, db);
    const kept = `${old}.carried-over-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await source.close();
    renameSync(old, kept);
    log.warn({ rows: tables.reduce((n, t) => n + t.rows, 0), tables: tables.length, keptAside: kept }, 'the embedded store was carried over from PGlite: every table proven; the old folder is kept aside, renamed');
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** For the CLI: warnings and errors (the carry-over, a server left running) as one line on stderr; the rest unsaid. */
export const quietLog: Log = {
  info: () => undefined,
  debug: () => undefined,
  warn: (_obj, msg) => void process.stderr.write(`kedai: ${msg ?? ''}\n`),
  error: (_obj, msg) => void process.stderr.write(`kedai: ${msg ?? ''}\n`),
};
