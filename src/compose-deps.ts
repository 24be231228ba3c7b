import { randomFillSync } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Database } from './adapters/postgres/db.js';
import { createStore } from './adapters/postgres/store.js';
import { EVERYTHING, type Listening } from './adapters/postgres/changes.js';
import { DOCTOR_NOTICE } from './adapters/postgres/doctor-reports.js';
import { paymentEventStore } from './adapters/postgres/repos/payment-events.js';
import { MemoryCache, MemoryLock, MemoryRateLimiter } from './adapters/memory/guards.js';
import { createRedis, RedisHealth } from './adapters/redis/client.js';
import { RedisCache, RedisDedupe, RedisLock, RedisRateLimiter } from './adapters/redis/guards.js';
import { CacheAside } from './app/cache-aside.js';
import type { AppDeps, Log } from './app/deps.js';
import { LiveSettings } from './app/live-settings.js';
import { noTelemetry, type Cache, type InboundDedupe, type OpsReport, type PaymentGateway, type PaymentEvents, type RateLimiter, type Store, type Suppliers, type Telemetry, type TxLock } from './app/ports.js';
import { supplierSet } from './app/supplier-set.js';
import type { Config } from './config.js';
import { textsFor } from './i18n/index.js';

/**
 * Four random bytes as hex (order ids, lock owners), from the same CSPRNG as `randomBytes`, drawn
 * from a pool refilled 1,024 at a time: `randomBytes(4)` cost ~2.2 µs a call (three or four a
 * purchase), a slice of the pool ~0.07 µs. Each slice is used once.
 */
const pool = Buffer.allocUnsafe(4_096);
let poolAt = pool.length;
export function randomHex4(): string {
  if (poolAt + 4 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + 4);
  poolAt += 4;
  return hex;
}

export interface Guards {
  /** Answers for the database while it is unreachable. */
  standInDedupe: InboundDedupe | undefined;
  limiter: RateLimiter;
  locks: TxLock;
  cache: Cache;
  redis: { client: Redis; health: RedisHealth } | null;
}

/** Redis when REDIS_URL is set (each part falls back when it fails); in-process otherwise (one process only). */
export function pickGuards(config: Readonly<Config>, log: Log): Guards {
  const memoryLimiter = new MemoryRateLimiter();
  if (!config.redisUrl) return { standInDedupe: undefined, limiter: memoryLimiter, locks: new MemoryLock(), cache: new MemoryCache(), redis: null };
  const health = new RedisHealth(log);
  const client = createRedis(config.redisUrl, config.redisPrefix, health);
  return {
    standInDedupe: new RedisDedupe(client, health),
    limiter: new RedisRateLimiter(client, health, memoryLimiter),
    locks: new RedisLock(client, health),
    cache: new RedisCache(client, health, config.redisPrefix),
    redis: { client, health },
  };
}

export interface DepsParts {
  db: Database;
  log: Log;
  guards: Pick<Guards, 'locks' | 'cache'>;
  gateway: PaymentGateway;
  /** Fulfils top-ups; absent = none (the CLI never calls it). */
  suppliers?: Suppliers;
  /** A top-up was handed over (the server kicks its supplier worker). */
  wakeSupplier?: () => void;
  telemetry?: Telemetry;
  ops?: { report(): Promise<OpsReport> };
  /** A commit queued outbox rows (the server kicks its dispatcher; the CLI leaves them to the bot's). */
  onOutbox?: () => void;
  /** A payment event was stored (the server wakes its paymentEvents worker). */
  onStored?: () => void;
  /**
   * The CLI: its writes are announced to other processes through PostgreSQL; the server:
   * it listens for them (its cache entries dropped, its settings reloaded, at once).
   */
  changes?: 'announce' | 'listen';
  /** The server: a question another process asked through the store (`doctor:<id>`), not a change to the cache. */
  onAsked?: (notice: string) => void;
}

/**
 * The use cases' dependencies, built one way for the server and the CLI: the
 * store with cache invalidation, the stored settings (`live`, to be refreshed
 * before use), the locks and cache the guards chose (Redis when REDIS_URL is set).
 */
export function composeDeps(
  config: Readonly<Config>,
  parts: DepsParts,
): { deps: AppDeps; store: Store; cache: CacheAside; live: LiveSettings; paymentEvents: PaymentEvents; listening: Listening | null } {
  const { db, log } = parts;
  const cache = new CacheAside(parts.guards.cache, parts.telemetry);
  const store: Store = createStore(db, {
    announce: parts.changes === 'announce',
    onOutbox: () => parts.onOutbox?.(),
    onChange: async (changes) => {
      await cache.invalidate(changes).catch((err: unknown) => log.warn({ err }, 'cache invalidation failed'));
      if (changes.includes('settings')) await live.refresh().catch((err: unknown) => log.warn({ err }, 'settings not reloaded'));
    },
  });
  const live = new LiveSettings(store, {
    paymentExpiryMinutes: config.paymentExpiryMinutes,
    rateLimitBuyPerMin: config.rateLimit.buyPerMin,
    rateLimitCmdPerMin: config.rateLimit.cmdPerMin,
  });
  const heard = async (notices: string[]) => {
    for (const n of notices.filter((x) => x.startsWith(DOCTOR_NOTICE))) parts.onAsked?.(n);
    const changes = notices.filter((x) => !x.startsWith(DOCTOR_NOTICE));
    if (!changes.length) return;
    const all = changes.includes(EVERYTHING);
    await (all ? cache.clear() : cache.invalidate(changes)).catch((err: unknown) => log.warn({ err }, 'cache invalidation failed'));
    if (all || changes.includes('settings')) await live.refresh().catch((err: unknown) => log.warn({ err }, 'settings not reloaded'));
  };
  const listening = parts.changes === 'listen' && db.listenForChanges ? db.listenForChanges((changes) => void heard(changes), log) : null;
  // Storing a payment event wakes the worker that applies it.
  const stored = paymentEventStore(db);
  const paymentEvents: PaymentEvents = {
    ...stored,
    async store(e) {
      const result = await stored.store(e);
      parts.onStored?.();
      return result;
    },
  };
  const deps: AppDeps = {
    paymentEvents,
    store,
    gateway: parts.gateway,
    suppliers: parts.suppliers ?? supplierSet([]),
    wakeSupplier: () => parts.wakeSupplier?.(),
    cache,
    locks: parts.guards.locks,
    clock: { now: () => new Date() },
    telemetry: parts.telemetry ?? noTelemetry,
    ...(parts.ops ? { ops: parts.ops } : {}),
    texts: textsFor(config.locale),
    log,
    randomHex: randomHex4,
    settings: {
      get paymentExpiryMinutes() {
        return live.paymentExpiryMinutes;
      },
      paymentMethod: config.paymentMethod,
      adminNumbers: config.adminNumbers,
      publicUrl: config.publicUrl,
      lowStockThreshold: config.lowStockThreshold,
      manualRemindHours: config.manualRemindHours,
      referralPercent: config.referralPercent,
      supplierLowBalance: config.supplier.lowBalance,
      stored: () => live.raw,
    },
  };
  return { deps, store, cache, live, paymentEvents, listening };
}
