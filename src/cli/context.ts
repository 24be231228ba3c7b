import { connectPg, type Database } from '../adapters/postgres/db.js';
import { openEmbeddedStore, quietLog } from '../adapters/postgres/embedded-store.js';
import { migrate } from '../adapters/postgres/migrate.js';
import { lockDataDir } from '../adapters/postgres/data-lock.js';
import { movedAway } from '../adapters/postgres/move.js';
import { midtransGateway } from '../adapters/midtrans/client.js';
import type { AppDeps } from '../app/deps.js';
import type { Config } from '../config.js';
import { createLogger } from '../log.js';
import { composeDeps, pickGuards } from '../compose-deps.js';

/**
 * What a CLI command needs: the database (migrated) and the use cases' deps, built
 * by the server's own composition (`composeDeps`). With the embedded database the
 * folder is locked (while the bot runs, commands go through it instead).
 */
export async function openCli(config: Readonly<Config>): Promise<{ db: Database; deps: AppDeps; close(): Promise<void> }> {
  // The embedded folder is one process's: refused (naming the holder) while the bot runs.
  const moved = config.databaseUrl ? null : movedAway(config.dataDir);
  if (moved) throw new Error(moved);
  const release = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir, 'cli');
  let db: Database;
  try {
    db = config.databaseUrl ? connectPg(config.databaseUrl, { max: 2 }) : await openEmbeddedStore(config.dataDir, quietLog);
    await migrate(db);
  } catch (err) {
    release();
    throw err;
  }
  const log = createLogger({ level: 'warn', pretty: false });
  // The same composition as the server: Redis locks and cache when REDIS_URL is set (so the
  // running bot's cache sees the change at once), settings as stored in the database.
  const guards = pickGuards(config, log);
  if (guards.redis) await new Promise((r) => guards.redis!.client.once('ready', r).once('error', r));
  const { deps, live } = composeDeps(config, { db, log, guards, gateway: midtransGateway(config.midtrans) });
  await live.refresh().catch((err: unknown) => log.warn({ err }, 'stored settings not read; the configured ones apply'));
  return {
    db,
    deps,
    async close() {
      await new Promise((r) => setTimeout(r, 20)); // let the last invalidation leave
      guards.redis?.client.disconnect();
      await db.close();
      release();
    },
  };
}
