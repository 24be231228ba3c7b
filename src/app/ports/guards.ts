/* The per-process or shared guards: the rate limiter, the buy lock, the dedupe and the cache. */

export interface RateLimitResult {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/**
 * Counts hits per key in a fixed window. Redis in production (shared by every
 * kedai process); in-process when there is no Redis or it is down.
 */
export type LockAttempt = { acquired: true } | { acquired: false; holder: string | null };

export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Gives one hit of the current window back (a command refused before it changed anything); the window keeps its end. */
  giveBack(key: string): Promise<void>;
  /**
   * The hit and, when it is allowed, the buy lock (`lock.key` set to `lock.owner` if free) in
   * one round trip. Absent where the two cost nothing apart (in-process); `lock` is null when
   * the hit was not allowed (no lock taken).
   */
  hitAndLock?(key: string, limit: number, windowMs: number, lock: { key: string; owner: string; ttlMs: number }): Promise<RateLimitResult & { lock: LockAttempt | null }>;
}

/** A buy lock taken with the rate-limit hit, for the use case to adopt (or the router to give back if it never runs). */
export interface HeldLock {
  key: string;
  owner: string;
  attempt: LockAttempt;
  adopted: boolean;
}

/**
 * The per-buyer transaction lock, taken before a purchase and released when its order leaves pending. The value is the owner:
 * a random token while a buy is in flight, then the pending order's id. Every
 * change is compare-and-set on the owner, so a late release cannot free
 * someone else's lock. A convenience in front of the database rule, never a substitute.
 */
export interface TxLock {
  acquire(key: string, owner: string, ttlMs: number): Promise<LockAttempt>;
  /** Passes the lock from `owner` to `next` with a new TTL; false when `owner` no longer holds it. */
  handOver(key: string, owner: string, next: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<boolean>;
}

/**
 * Remembers inbound message ids (Redis with a TTL, or the database), so a
 * message is handled at most once across restarts and processes.
 */
export interface InboundDedupe {
  /** true the first time an id is seen. */
  firstSeen(messageId: string): Promise<boolean>;
}

/** A small key/value cache with TTLs; values are JSON-serialisable. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /**
   * A family of values under one key (the catalogue's pages): `del(key)` drops
   * the whole family at once, whatever fields it holds. The family expires
   * `ttlMs` after its first field was written.
   */
  getField<T>(key: string, field: string): Promise<T | undefined>;
  setField(key: string, field: string, value: unknown, ttlMs: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /** Drops every entry (changes may have been missed: a listener that reconnected). */
  clear(): Promise<void>;
}
