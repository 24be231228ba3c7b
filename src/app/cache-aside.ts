import { noTelemetry, type Cache, type Telemetry } from './ports.js';

const noWrite = (): Promise<void> => Promise.resolve();

/**
 * Cache-aside with single-flight. A miss loads from the
 * database once however many callers ask at the same moment; a write deletes
 * the key after the commit. A load that started before an invalidation does
 * not write its (possibly stale) result back.
 */
export class CacheAside {
  /** Loads in flight by id (`key`, or `key\u0000field`), each with the key it belongs to. */
  private readonly inflight = new Map<string, { promise: Promise<unknown>; stale: boolean; id: string; key: string }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly cache: Cache,
    private readonly telemetry: Telemetry = noTelemetry,
  ) {}

  /**
   * The cached value, or `load`'s, written back for the next reader. `fill: false` reads the
   * same way but writes nothing on a miss: for a caller about to change the entry (a buyer's
   * `.buy` reads their profile, then the purchase drops it), where the write is a wasted command.
   */
  get<T>(key: string, ttlMs: number, load: () => Promise<T>, fill = true): Promise<T> {
    return this.through(key, key, key.split(':')[0]!, () => this.cache.get<T>(key), fill ? (v) => this.cache.set(key, v, ttlMs) : noWrite, load);
  }

  /** One field of a family (see `Cache.getField`), with the same single-flight and stale-write guard. */
  getField<T>(key: string, field: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    return this.through(`${key}\u0000${field}`, key, key, () => this.cache.getField<T>(key, field), (v) => this.cache.setField(key, field, v, ttlMs), load);
  }

  private async through<T>(id: string, key: string, name: string, read: () => Promise<T | undefined>, write: (v: T) => Promise<void>, load: () => Promise<T>): Promise<T> {
    const joining = this.inflight.get(id);
    if (joining) return joining.promise as Promise<T>;
    const cached = await read();
    if (cached !== undefined) {
      this.hits++;
      this.telemetry.cache(name, true);
      return cached;
    }
    const again = this.inflight.get(id);
    if (again) return again.promise as Promise<T>;
    this.misses++;
    this.telemetry.cache(name, false);
    const flight = { promise: Promise.resolve() as Promise<unknown>, stale: false, id, key };
    flight.promise = (async () => {
      const value = await load();
      if (!flight.stale) await write(value);
      return value;
    })().finally(() => {
      if (this.inflight.get(id) === flight) this.inflight.delete(id);
    });
    this.inflight.set(id, flight);
    return flight.promise as Promise<T>;
  }

  /** Everything: loads in flight are not written back, every entry is dropped. */
  async clear(): Promise<void> {
    for (const flight of this.inflight.values()) flight.stale = true;
    this.inflight.clear();
    await this.cache.clear();
  }

  async invalidate(keys: readonly string[]): Promise<void> {
    // Every purchase invalidates while hundreds of loads may be in flight (a flash sale): one pass
    // over the values, nothing allocated per entry (an entry pair, or a prefix string, each was).
    const dropped = new Set(keys);
    for (const flight of this.inflight.values()) {
      if (dropped.has(flight.key)) {
        flight.stale = true;
        this.inflight.delete(flight.id);
      }
    }
    await this.cache.del(keys);
  }
}

/**
 * Cache keys and lifetimes (products 5 min, balance 1 min (with the profile);
 * orders and payments never). The keys are the change names the store reports
 * after a commit, so a write deletes exactly these. Settings are not cached here:
 * every process keeps them in memory (`LiveSettings`), reloaded on a `settings`
 * change and every 30 s.
 */
export const CACHE = {
  catalogue: { key: 'catalogue', ttlMs: 5 * 60_000 },
  /** A buyer's balance (display only), name, role and blocked flag. */
  profile: { key: (waId: string) => `user:${waId}`, ttlMs: 60_000 },
  /** Only a change name: it makes every process reload its settings. */
  settings: { key: 'settings' },
} as const;
