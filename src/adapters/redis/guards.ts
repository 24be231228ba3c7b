import type { Redis } from 'ioredis';
import type { Cache, InboundDedupe, LockAttempt, RateLimiter, RateLimitResult, TxLock } from '../../app/ports.js';
import type { MemoryRateLimiter } from '../memory/guards.js';
import type { RedisHealth } from './client.js';
import { perTick } from './per-tick.js';
import { scriptsOn, type Scripts } from './scripts.js';

/** Runs a Redis call; on failure records it and returns the fallback's answer instead. */
async function orElse<T>(health: RedisHealth, call: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
  try {
    const result = await call();
    health.ok();
    return result;
  } catch (err) {
    health.failed(err);
    return fallback();
  }
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Scripts;
  constructor(
    redis: Redis,
    private readonly health: RedisHealth,
    /** While Redis is down, limits still apply per process. */
    private readonly fallback: MemoryRateLimiter,
  ) {
    this.redis = scriptsOn(redis);
  }
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return orElse(
      this.health,
      async () => {
        const { count, ttl } = await this.redis.rateHit(key, windowMs);
        return { allowed: count <= limit, count, resetInMs: Math.max(0, ttl) };
      },
      () => this.fallback.hit(key, limit, windowMs),
    );
  }
  giveBack(key: string): Promise<void> {
    return orElse(this.health, () => this.redis.rateGiveBack(key), () => this.fallback.giveBack(key));
  }
  hitAndLock(key: string, limit: number, windowMs: number, lock: { key: string; owner: string; ttlMs: number }): Promise<RateLimitResult & { lock: LockAttempt | null }> {
    return orElse(
      this.health,
      async () => {
        const { count, ttl, lock: attempt } = await this.redis.rateHitLock(key, lock.key, windowMs, limit, lock.owner, lock.ttlMs);
        return { allowed: count <= limit, count, resetInMs: Math.max(0, ttl), lock: attempt };
      },
      // Redis down: the limit per process, and the lock lets the buy through (PostgreSQL's rules still hold), as RedisLock does.
      async () => {
        const hit = await this.fallback.hit(key, limit, windowMs);
        return { ...hit, lock: hit.allowed ? { acquired: true } : null };
      },
    );
  }
}

/**
 * `SET NX` with an eight-day TTL (Meta retries a webhook for up to seven days): the stand-in that answers while the database,
 * which decides (see `pgDedupe`), is unreachable. With both down the message
 * counts as new: a repeated reply is better than a lost one.
 */
export class RedisDedupe implements InboundDedupe {
  constructor(
    private readonly redis: Redis,
    private readonly health: RedisHealth,
  ) {}
  firstSeen(messageId: string): Promise<boolean> {
    return orElse(
      this.health,
      async () => (await this.redis.set(`seen:${messageId}`, '1', 'PX', 8 * 86_400_000, 'NX')) === 'OK',
      () => true,
    );
  }
}

/** While Redis is down the lock lets buys through: PostgreSQL's one-pending-order rule still holds. */
export class RedisLock implements TxLock {
  private readonly redis: Scripts;
  constructor(
    redis: Redis,
    private readonly health: RedisHealth,
  ) {
    this.redis = scriptsOn(redis);
  }
  acquire(key: string, owner: string, ttlMs: number): Promise<LockAttempt> {
    return orElse<LockAttempt>(
      this.health,
      () => this.redis.lockAcquire(key, owner, ttlMs),
      () => ({ acquired: true }),
    );
  }
  handOver(key: string, owner: string, next: string, ttlMs: number): Promise<boolean> {
    return orElse(this.health, () => this.redis.lockHandOver(key, owner, next, ttlMs), () => false);
  }
  release(key: string, owner: string): Promise<boolean> {
    return orElse(this.health, () => this.redis.lockRelease(key, owner), () => false);
  }
}

/**
 * While Redis is down every read is a miss: callers go to the database. An
 * invalidation lost during the outage would leave a stale entry behind, so the
 * whole cache namespace is dropped when Redis comes back.
 */
export class RedisCache implements Cache {
  /** The reads of one tick: one MGET. */
  private readonly read: (key: string) => Promise<string | null>;
  /** The invalidations of one tick: one DEL of every key they name (a flash sale's buys all name the catalogue). */
  private readonly drop: (keys: readonly string[]) => Promise<void>;
  constructor(
    private readonly redis: Redis,
    private readonly health: RedisHealth,
    private readonly prefix: string,
  ) {
    health.onRecover(() => void this.clear().catch((err: unknown) => health.failed(err)));
    this.read = perTick((keys: string[]) => redis.mget(keys));
    this.drop = perTick(async (lists: (readonly string[])[]) => {
      const keys = new Set<string>();
      for (const list of lists) for (const k of list) keys.add(`cache:${k}`).add(`cache:${k}#`);
      await redis.del(...keys);
      return lists.map(() => undefined);
    });
  }

  async clear(): Promise<void> {
    // SCAN sees full key names; DEL would add the client's keyPrefix again, so strip it.
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}cache:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.del(...keys.map((k) => k.slice(this.prefix.length)));
    } while (cursor !== '0');
  }
  get<T>(key: string): Promise<T | undefined> {
    return orElse(
      this.health,
      async () => {
        const raw = await this.read(`cache:${key}`);
        return raw === null ? undefined : (JSON.parse(raw) as T);
      },
      () => undefined,
    );
  }
  set(key: string, value: unknown, ttlMs: number): Promise<void> {
    return orElse(
      this.health,
      async () => void (await this.redis.set(`cache:${key}`, JSON.stringify(value), 'PX', ttlMs)),
      () => undefined,
    );
  }
  /** A family is a hash at `cache:{key}#` (apart from the plain key, so the two never meet as WRONGTYPE). */
  getField<T>(key: string, field: string): Promise<T | undefined> {
    return orElse(
      this.health,
      async () => {
        const raw = await this.redis.hget(`cache:${key}#`, field);
        return raw === null ? undefined : (JSON.parse(raw) as T);
      },
      () => undefined,
    );
  }
  setField(key: string, field: string, value: unknown, ttlMs: number): Promise<void> {
    return orElse(
      this.health,
      async () => {
        await this.redis.hset(`cache:${key}#`, field, JSON.stringify(value));
        // The family's lifetime starts with its first field: later fields do not extend it.
        await this.redis.pexpire(`cache:${key}#`, ttlMs, 'NX');
      },
      () => undefined,
    );
  }
  del(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return orElse(
      this.health,
      () => this.drop(keys),
      () => undefined,
    );
  }
}
