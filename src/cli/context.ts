import { connectPg, ping, type Database } from '../adapters/postgres/db.js';
import { openEmbeddedStore, quietLog } from '../adapters/postgres/embedded-store.js';
import { embeddedUrl } from '../adapters/postgres/embedded-server.js';
import { migrate } from '../adapters/postgres/migrate.js';
import { DataDirBusy, heldBy, lockDataDir, type LockHolder } from '../adapters/postgres/data-lock.js';
import { movedAway } from '../adapters/postgres/move.js';
import { midtransGateway } from '../adapters/midtrans/client.js';
import type { AppDeps } from '../app/deps.js';
import type { Config } from '../config.js';
import { createLogger } from '../log.js';
import { composeDeps, pickGuards } from '../compose-deps.js';

/** How long a command waits for a running bot's store that does not answer (its server is being started again). */
const BOT_STORE_WAIT_MS = 30_000;

/**
 * The store a CLI command works on: DATABASE_URL's; or, with the embedded store, the
 * running bot's PostgreSQL server, reached directly through its socket in DATA_DIR; or,
 * when no bot runs, the embedded server started by this process under the DATA_DIR lock
 * (a second command meanwhile is refused, naming this one).
 */
export async function openStore(config: Readonly<Config>): Promise<{ db: Database; close(): Promise<void> }> {
  if (config.databaseUrl) {
    const db = connectPg(config.databaseUrl, { max: 2 });
    return { db, close: () => db.close() };
  }
  // A store moved to PostgreSQL (npx kedai move-to-postgres) is never written again.
  const moved = movedAway(config.dataDir);
  if (moved) throw new Error(moved);
  const bot = runningBot(config.dataDir);
  if (bot) return botStore(config.dataDir, bot);
  let release: () => void;
  try {
    release = lockDataDir(config.dataDir, 'cli');
  } catch (err) {
    // A bot that started a moment ago: its store, then.
    if (err instanceof DataDirBusy && err.holder.role === 'bot') return botStore(config.dataDir, err.holder);
    throw err;
  }
  try {
    const db = await openEmbeddedStore(config.dataDir, quietLog);
    return {
      db,
      async close() {
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** The bot holding the embedded store in `dataDir`, if one does. */
export function runningBot(dataDir: string): LockHolder | null {
  const holder = heldBy(dataDir);
  return holder?.role === 'bot' ? holder : null;
}

/** The running bot's server, through its socket: waited for while it is being started (again). */
async function botStore(dataDir: string, bot: LockHolder): Promise<{ db: Database; close(): Promise<void> }> {
  const db = connectPg(embeddedUrl(dataDir), { max: 2 });
  const until = Date.now() + BOT_STORE_WAIT_MS;
  for (;;) {
    try {
      await ping(db);
      return { db, close: () => db.close() };
    } catch (err) {
      if (Date.now() > until || !heldBy(dataDir)) {
        await db.close().catch(() => undefined);
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`the running kedai (process ${bot.pid}) holds ${dataDir}, but its store did not answer in ${BOT_STORE_WAIT_MS / 1000} s (${reason}); if it is stuck, stop it (kill -TERM ${bot.pid}) and run the command again`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * What a CLI command needs: the store (migrated) and the use cases' deps, built by
 * the server's own composition (`composeDeps`). Its writes are announced through
 * PostgreSQL, so a running bot drops what it cached at once (and, with REDIS_URL,
 * the shared cache entries are dropped here too).
 */
export async function openCli(config: Readonly<Config>): Promise<{ db: Database; deps: AppDeps; close(): Promise<void> }> {
  const store = await openStore(config);
  const { db } = store;
  try {
    await migrate(db);
  } catch (err) {
    await store.close();
    throw err;
  }
  const log = createLogger({ level: 'warn', pretty: false });
  const guards = pickGuards(config, log);
  if (guards.redis) await new Promise((r) => guards.redis!.client.once('ready', r).once('error', r));
  const { deps, live } = composeDeps(config, { db, log, guards, gateway: midtransGateway(config.midtrans), changes: 'announce' });
  await live.refresh().catch((err: unknown) => log.warn({ err }, 'stored settings not read; the configured ones apply'));
  return {
    db,
    deps,
    async close() {
      await new Promise((r) => setTimeout(r, 20)); // let the last invalidation leave
      guards.redis?.client.disconnect();
      await store.close();
    },
  };
}
