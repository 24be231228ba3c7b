import type { Cache, LockAttempt, RateLimiter, RateLimitResult, TxLock } from '../../app/ports.js';

/**
 * In-process implementations of the Redis ports: the embedded default (one
 * process) and the fallback while Redis is down. Entries expire lazily on read
 * and in a sweep every `sweepEvery` writes, so memory stays bounded.
 */
class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private writes = 0;
  constructor(
    private readonly now: () => number,
    private readonly sweepEvery = 1_000,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }
  expiresAt(key: string): number {
    return this.entries.get(key)?.expiresAt ?? 0;
  }
  set(key: string, value: V, ttlMs: number, keepExpiry = false): void {
    const expiresAt = keepExpiry && this.get(key) !== undefined ? this.expiresAt(key) : this.now() + ttlMs;
    this.entries.set(key, { value, expiresAt });
    if (++this.writes % this.sweepEvery === 0) this.sweep();
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  clear(): void {
    this.entries.clear();
  }
  private sweep(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows: ExpiringMap<number>;
  constructor(private readonly now: () => number = Date.now) {
    this.windows = new ExpiringMap(now);
  }
  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const count = (this.windows.get(key) ?? 0) + 1;
    this.windows.set(key, count, windowMs, true); // fixed window: the first hit sets the expiry
    return { allowed: count <= limit, count, resetInMs: Math.max(0, this.windows.expiresAt(key) - this.now()) };
  }
  async giveBack(key: string): Promise<void> {
    const count = this.windows.get(key);
    if (count !== undefined && count > 0) this.windows.set(key, count - 1, 0, true);
  }
}

export class MemoryLock implements TxLock {
  private readonly held: ExpiringMap<string>;
  constructor(now: () => number = Date.now) {
    this.held = new ExpiringMap(now);
  }
  async acquire(key: string, owner: string, ttlMs: number): Promise<LockAttempt> {
    const holder = this.held.get(key);
    if (holder !== undefined) return { acquired: false, holder };
    this.held.set(key, owner, ttlMs);
    return { acquired: true };
  }
  async handOver(key: string, owner: string, next: string, ttlMs: number): Promise<boolean> {
    if (this.held.get(key) !== owner) return false;
    this.held.set(key, next, ttlMs);
    return true;
  }
  async release(key: string, owner: string): Promise<boolean> {
    if (this.held.get(key) !== owner) return false;
    this.held.delete(key);
    return true;
  }
}

export class MemoryCache implements Cache {
  private readonly values: ExpiringMap<string>;
  private readonly families = new Map<string, { fields: Set<string>; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {
    this.values = new ExpiringMap(now);
  }
  async get<T>(key: string): Promise<T | undefined> {
    const raw = this.values.get(key);
    // Stored as JSON so callers get a copy, as they would from Redis.
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.values.set(key, JSON.stringify(value), ttlMs);
  }
  async getField<T>(key: string, field: string): Promise<T | undefined> {
    return this.get<T>(`${key}#${field}`);
  }
  async setField(key: string, field: string, value: unknown, ttlMs: number): Promise<void> {
    const at = this.now();
    let family = this.families.get(key);
    // As in Redis: the family's lifetime starts with its first field.
    if (!family || family.expiresAt <= at) this.families.set(key, (family = { fields: new Set(), expiresAt: at + ttlMs }));
    family.fields.add(field);
    await this.set(`${key}#${field}`, value, family.expiresAt - at);
  }
  async clear(): Promise<void> {
    this.values.clear();
    this.families.clear();
  }
  async del(keys: readonly string[]): Promise<void> {
    for (const k of keys) {
      this.values.delete(k);
      for (const f of this.families.get(k)?.fields ?? []) this.values.delete(`${k}#${f}`);
      this.families.delete(k);
    }
  }
}
