import { noTelemetry, type Cache, type Telemetry } from './ports.js';

/**
 * Cache-aside with single-flight (seed caching rules). A miss loads from the
 * database once however many callers ask at the same moment; a write deletes
 * the key after the commit. A load that started before an invalidation does
 * not write its (possibly stale) result back.
 */
export class CacheAside {
  private readonly inflight = new Map<string, { promise: Promise<unknown>; stale: boolean }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly cache: Cache,
    private readonly telemetry: Telemetry = noTelemetry,
  ) {}

  async get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const joining = this.inflight.get(key);
    if (joining) return joining.promise as Promise<T>;
    const cached = await this.cache.get<T>(key);
    const name = key.split(':')[0]!;
    if (cached !== undefined) {
      this.hits++;
      this.telemetry.cache(name, true);
      return cached;
    }
    const again = this.inflight.get(key);
    if (again) return again.promise as Promise<T>;
    this.misses++;
    this.telemetry.cache(name, false);
    const flight = { promise: Promise.resolve() as Promise<unknown>, stale: false };
    flight.promise = (async () => {
      const value = await load();
      if (!flight.stale) await this.cache.set(key, value, ttlMs);
      return value;
    })().finally(() => {
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
    });
    this.inflight.set(key, flight);
    return flight.promise as Promise<T>;
  }

  async invalidate(keys: readonly string[]): Promise<void> {
    for (const k of keys) {
      const flight = this.inflight.get(k);
      if (flight) flight.stale = true;
      this.inflight.delete(k);
    }
    await this.cache.del(keys);
  }
}

/**
 * Cache keys and lifetimes (seed: products 5 min, balance 1 min (with the profile), settings 10 min;
 * orders and payments never). The keys are the change names the store reports
 * after a commit, so a write deletes exactly these.
 */
export const CACHE = {
  catalogue: { key: 'catalogue', ttlMs: 5 * 60_000 },
  /** A buyer's balance (display only), name, role and blocked flag. */
  profile: { key: (waId: string) => `user:${waId}`, ttlMs: 60_000 },
  settings: { key: 'settings', ttlMs: 10 * 60_000 },
} as const;
