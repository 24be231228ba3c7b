import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheAside } from '../src/app/cache-aside.js';
import { MemoryCache, MemoryLock, MemoryRateLimiter } from '../src/adapters/memory/guards.js';
import { createRedis, RedisHealth } from '../src/adapters/redis/client.js';
import { RedisCache, RedisLock, RedisRateLimiter } from '../src/adapters/redis/guards.js';
import type { Cache, RateLimiter, TxLock } from '../src/app/ports.js';
import { createLogger } from '../src/log.js';

const log = createLogger({ level: 'silent', pretty: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REDIS_URL = process.env.REDIS_URL;

interface Impl {
  name: string;
  make(): { limiter: RateLimiter; lock: TxLock; cache: Cache; ttlOf?: (key: string) => Promise<number> };
}

const clients: Redis[] = [];
const impls: Impl[] = [
  { name: 'memory', make: () => ({ limiter: new MemoryRateLimiter(), lock: new MemoryLock(), cache: new MemoryCache() }) },
  ...(REDIS_URL
    ? [
        {
          name: 'redis',
          make: () => {
            // A fresh prefix per test, deleted afterwards.
            const prefix = `kedai-test-${randomBytes(4).toString('hex')}:`;
            const health = new RedisHealth(log);
            const client = createRedis(REDIS_URL, prefix, health);
            const raw = new Redis(REDIS_URL);
            clients.push(client, raw);
            return {
              limiter: new RedisRateLimiter(client, health, new MemoryRateLimiter()),
              lock: new RedisLock(client, health),
              cache: new RedisCache(client, health, prefix),
              ttlOf: async (key: string) => {
                const keys = await raw.keys(`${prefix}*${key}`);
                expect(keys.length).toBe(1);
                return raw.pttl(keys[0]!);
              },
            };
          },
        },
      ]
    : []),
];

afterAll(async () => {
  for (const c of clients) {
    const prefix = c.options.keyPrefix;
    if (prefix) {
      const raw = new Redis(REDIS_URL!);
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length) await raw.del(...keys);
      raw.disconnect();
    }
    c.disconnect();
  }
});

/** The same behaviour from every implementation of the ports (Redis and in-process). */
describe.each(impls)('$name guards', (impl) => {
  const ready = async () => {
    const made = impl.make();
    // Let a fresh Redis client connect (commands fail fast before that, by design).
    if (impl.name === 'redis') await sleep(100);
    return made;
  };

  it('rate limiter: a fixed window allows `limit` hits, blocks the rest, then resets', async () => {
    const { limiter, ttlOf } = await ready();
    const hits = [];
    for (let i = 0; i < 5; i++) hits.push(await limiter.hit('ratelimit:628:buy', 3, 400));
    expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false, false]);
    expect(hits.map((h) => h.count)).toEqual([1, 2, 3, 4, 5]);
    expect(hits[4]!.resetInMs).toBeGreaterThan(0);
    expect(hits[4]!.resetInMs).toBeLessThanOrEqual(400);
    if (ttlOf) expect(await ttlOf('ratelimit:628:buy')).toBeGreaterThan(0);
    // Other keys are independent.
    expect((await limiter.hit('ratelimit:629:buy', 3, 400)).allowed).toBe(true);
    // The boundary of a fixed window: the count starts over as soon as the window ends.
    await sleep(450);
    const next = await limiter.hit('ratelimit:628:buy', 3, 400);
    expect(next).toMatchObject({ allowed: true, count: 1 });
  });

  it('rate limiter with the lock: the hit and the lock together; no lock when the hit is refused; the holder when taken', async () => {
    const { limiter, lock, ttlOf } = impl.make();
    if (!limiter.hitAndLock || !ttlOf) return; // in-process the two are separate calls that cost nothing
    // Until the client is connected every call is answered by the fallback: wait for a lock that Redis holds.
    for (let i = 0; ; i++) {
      await limiter.hitAndLock(`ratelimit:warm${i}:buy`, 100, 2_000, { key: `lock:warm${i}`, owner: 'w', ttlMs: 2_000 });
      if ((await ttlOf(`lock:warm${i}`).catch(() => -1)) > 0) break;
      if (i > 100) throw new Error('redis never answered');
      await sleep(20);
    }
    const want = (owner: string) => ({ key: 'lock:buy:630', owner, ttlMs: 2_000 });
    const first = await limiter.hitAndLock('ratelimit:630:buy', 2, 2_000, want('buy-a'));
    expect(first).toMatchObject({ allowed: true, count: 1, lock: { acquired: true } });
    const second = await limiter.hitAndLock('ratelimit:630:buy', 2, 2_000, want('buy-b'));
    expect(second).toMatchObject({ allowed: true, count: 2, lock: { acquired: false, holder: 'buy-a' } });
    const third = await limiter.hitAndLock('ratelimit:630:buy', 2, 2_000, want('buy-c'));
    expect(third).toMatchObject({ allowed: false, count: 3, lock: null });
    // The lock is an ordinary buy lock: released by its owner through the lock port.
    expect(await lock.release('lock:buy:630', 'buy-a')).toBe(true);
  });

  it('lock: one owner at a time, compare-and-set hand-over and release, expiry', async () => {
    const { lock, ttlOf } = await ready();
    expect(await lock.acquire('lock:buy:628', 'token-a', 60_000)).toEqual({ acquired: true });
    expect(await lock.acquire('lock:buy:628', 'token-b', 60_000)).toEqual({ acquired: false, holder: 'token-a' });
    expect(await lock.release('lock:buy:628', 'token-b')).toBe(false);
    expect(await lock.handOver('lock:buy:628', 'token-b', 'KD-X', 60_000)).toBe(false);
    expect(await lock.handOver('lock:buy:628', 'token-a', 'KD-1', 60_000)).toBe(true);
    expect(await lock.acquire('lock:buy:628', 'token-c', 60_000)).toEqual({ acquired: false, holder: 'KD-1' });
    if (ttlOf) expect(await ttlOf('lock:buy:628')).toBeGreaterThan(50_000);
    expect(await lock.release('lock:buy:628', 'token-a')).toBe(false);
    expect(await lock.release('lock:buy:628', 'KD-1')).toBe(true);
    expect(await lock.acquire('lock:buy:628', 'token-d', 150)).toEqual({ acquired: true });
    await sleep(250);
    expect(await lock.acquire('lock:buy:628', 'token-e', 60_000)).toEqual({ acquired: true });
  });

  it('cache: get, set with TTL, delete', async () => {
    const { cache, ttlOf } = await ready();
    expect(await cache.get('catalogue')).toBeUndefined();
    await cache.set('catalogue', [{ code: 'A', price: 1000 }], 60_000);
    expect(await cache.get('catalogue')).toEqual([{ code: 'A', price: 1000 }]);
    if (ttlOf) expect(await ttlOf('catalogue')).toBeGreaterThan(50_000);
    await cache.del(['catalogue', 'other']);
    expect(await cache.get('catalogue')).toBeUndefined();
    await cache.set('balance:628', { balance: 5 }, 150);
    await sleep(250);
    expect(await cache.get('balance:628')).toBeUndefined();
  });

  it('cache families: fields beside a plain key of the same name, dropped whole by one delete, expiring from the first field', async () => {
    const { cache } = await ready();
    await cache.set('catalogue', 'plain', 60_000);
    await cache.setField('catalogue', 'page|*|1', { total: 3 }, 300);
    await cache.setField('catalogue', 'categories', [{ name: 'Game', products: 3 }], 300);
    expect(await cache.getField('catalogue', 'page|*|1')).toEqual({ total: 3 });
    expect(await cache.getField('catalogue', 'page|*|2')).toBeUndefined();
    expect(await cache.get('catalogue')).toBe('plain');
    await cache.del(['catalogue']);
    expect(await cache.get('catalogue')).toBeUndefined();
    expect(await cache.getField('catalogue', 'page|*|1')).toBeUndefined();
    expect(await cache.getField('catalogue', 'categories')).toBeUndefined();

    await cache.setField('catalogue', 'a', 1, 200);
    await sleep(120);
    await cache.setField('catalogue', 'b', 2, 200); // does not extend the family's life
    await sleep(150);
    expect(await cache.getField('catalogue', 'a')).toBeUndefined();
    expect(await cache.getField('catalogue', 'b')).toBeUndefined();
  });

  it('cache-aside: one load for callers at once; a load in flight when its key (or its family) is dropped is not written back; other keys are', async () => {
    const { cache } = await ready();
    const aside = new CacheAside(cache);
    const gates: (() => void)[] = [];
    let loads = 0;
    const slow = <T>(value: T) => () =>
      new Promise<T>((resolve) => {
        loads++;
        gates.push(() => resolve(value));
      });
    const open = async () => {
      while (gates.length < 4) await sleep(5);
      for (const g of gates.splice(0)) g();
    };
    const together = Promise.all([
      aside.get('profile:628', 60_000, slow('old profile')),
      aside.get('profile:628', 60_000, slow('never')),
      aside.getField('catalogue', 'page|1', 60_000, slow('old page')),
      aside.getField('catalogue', 'page|2', 60_000, slow('old page 2')),
      aside.get('profile:629', 60_000, slow('other buyer')),
    ]);
    while (gates.length < 4) await sleep(5);
    // A purchase commits while the loads are in flight: its buyer's profile and the whole catalogue change.
    await aside.invalidate(['profile:628', 'catalogue']);
    await open();
    expect(await together).toEqual(['old profile', 'old profile', 'old page', 'old page 2', 'other buyer']);
    expect(loads).toBe(4);
    expect(await cache.get('profile:628')).toBeUndefined();
    expect(await cache.getField('catalogue', 'page|1')).toBeUndefined();
    expect(await cache.getField('catalogue', 'page|2')).toBeUndefined();
    expect(await cache.get('profile:629')).toBe('other buyer');
    // The next reader loads again, and that load is kept.
    expect(await aside.get('profile:628', 60_000, async () => 'new profile')).toBe('new profile');
    expect(await cache.get('profile:628')).toBe('new profile');
  });

  it('cache-aside without fill: a hit is read, a miss is loaded and not written back (the reader is about to change it)', async () => {
    const { cache } = await ready();
    const aside = new CacheAside(cache);
    expect(await aside.get('profile:700', 60_000, async () => 'loaded', false)).toBe('loaded');
    expect(await cache.get('profile:700')).toBeUndefined();
    await cache.set('profile:700', 'cached', 60_000);
    expect(await aside.get('profile:700', 60_000, async () => 'not asked', false)).toBe('cached');
    expect(aside.hits).toBe(1);
  });
});

describe.runIf(Boolean(REDIS_URL))('redis cache: what callers ask in one tick goes as one command', () => {
  it('reads as one MGET and invalidations as one DEL of every key named, each caller answered its own; a failed command fails every caller of the tick', async () => {
    const prefix = `kedai-test-${randomBytes(4).toString('hex')}:`;
    const health = new RedisHealth(log);
    const client = createRedis(REDIS_URL!, prefix, health);
    clients.push(client);
    await sleep(100);
    // Each command the cache sends, by name, with its keys.
    const sent: { name: string; keys: string[] }[] = [];
    const counted = new Proxy(client, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if ((name === 'get' || name === 'mget' || name === 'del') && typeof value === 'function') {
          return (...args: unknown[]) => {
            sent.push({ name, keys: args.flat() as string[] });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
    const cache = new RedisCache(counted, health, prefix);
    await Promise.all(['user:1', 'user:2', 'user:3'].map((k, i) => cache.set(k, { n: i }, 60_000)));
    const read = await Promise.all(['user:1', 'user:2', 'user:9', 'user:3', 'user:1'].map((k) => cache.get<{ n: number }>(k)));
    expect(read).toEqual([{ n: 0 }, { n: 1 }, undefined, { n: 2 }, { n: 0 }]);
    expect(sent.map((s) => s.name)).toEqual(['mget']);
    // Three purchases of a tick each drop their buyer and the catalogue: one DEL, the catalogue named once.
    sent.length = 0;
    await Promise.all(['user:1', 'user:2', 'user:3'].map((k) => cache.del([k, 'catalogue'])));
    expect(sent.map((s) => s.name)).toEqual(['del']);
    expect(sent[0]!.keys.filter((k) => k === 'cache:catalogue')).toHaveLength(1);
    expect(await Promise.all(['user:1', 'user:2', 'user:3'].map((k) => cache.get(k)))).toEqual([undefined, undefined, undefined]);
    // Redis gone: every reader of the tick falls back to a miss on its own, and the outage is recorded.
    client.disconnect();
    expect(await Promise.all(['user:1', 'user:2'].map((k) => cache.get(k)))).toEqual([undefined, undefined]);
    expect(health.up).toBe(false);
  });
});
