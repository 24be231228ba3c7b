import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectPg, openPglite, type Database } from '../adapters/postgres/db.js';
import { migrate } from '../adapters/postgres/migrate.js';
import { lockDataDir } from '../adapters/postgres/data-lock.js';
import { movedAway } from '../adapters/postgres/move.js';
import { createStore } from '../adapters/postgres/store.js';
import { paymentInbox } from '../adapters/postgres/repos/inbox.js';
import { MemoryCache, MemoryLock } from '../adapters/memory/guards.js';
import { createRedis, RedisHealth } from '../adapters/redis/client.js';
import { RedisCache } from '../adapters/redis/guards.js';
import { midtransGateway } from '../adapters/midtrans/client.js';
import { CacheAside } from '../app/cache-aside.js';
import type { AppDeps } from '../app/deps.js';
import { noTelemetry } from '../app/ports.js';
import type { Config } from '../config.js';
import { textsFor } from '../i18n/index.js';
import { createLogger } from '../log.js';

/**
 * What a CLI command needs: the database (migrated) and the use cases' deps. With
 * REDIS_URL the cache is the running bot's, so what the CLI changes shows at once.
 * With the embedded database the folder is locked: while the bot runs, the CLI is refused.
 */
export async function openCli(config: Readonly<Config>): Promise<{ db: Database; deps: AppDeps; close(): Promise<void> }> {
  // The embedded folder is one process's: refused (naming the holder) while the bot runs.
  const moved = config.databaseUrl ? null : movedAway(config.dataDir);
  if (moved) throw new Error(moved);
  const release = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir, 'cli');
  let db: Database;
  try {
    db = config.databaseUrl ? connectPg(config.databaseUrl, { max: 2 }) : await openPglite(join(config.dataDir, 'pglite'));
    await migrate(db);
  } catch (err) {
    release();
    throw err;
  }
  const log = createLogger({ level: 'warn', pretty: false });
  const redis = config.redisUrl ? createRedis(config.redisUrl, config.redisPrefix, new RedisHealth(log)) : null;
  if (redis) await new Promise((r) => redis.once('ready', r).once('error', r));
  const cache = new CacheAside(redis ? new RedisCache(redis, new RedisHealth(log), config.redisPrefix) : new MemoryCache());
  const deps: AppDeps = {
    store: createStore(db, { onChange: (keys) => cache.invalidate(keys).catch(() => undefined) }),
    gateway: midtransGateway(config.midtrans),
    cache,
    locks: new MemoryLock(),
    inbox: paymentInbox(db),
    clock: { now: () => new Date() },
    telemetry: noTelemetry,
    texts: textsFor(config.locale),
    log,
    randomHex: () => randomBytes(4).toString('hex'),
    settings: {
      paymentExpiryMinutes: config.paymentExpiryMinutes,
      paymentMethod: config.paymentMethod,
      adminNumbers: config.adminNumbers,
      publicUrl: config.publicUrl,
      lowStockThreshold: config.lowStockThreshold,
    },
  };
  return {
    db,
    deps,
    async close() {
      await new Promise((r) => setTimeout(r, 20)); // let the last invalidation leave
      redis?.disconnect();
      await db.close();
      release();
    },
  };
}
