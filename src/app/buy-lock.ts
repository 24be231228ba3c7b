import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import type { HeldLock, Order } from './ports.js';

export const buyLockKey = (waId: string): string => `lock:buy:${waId}`;

/** Long enough for the order transaction and the Snap call with its retries (3 × 6 s by default). */
export const IN_FLIGHT_TTL_MS = 60_000;

/** A fresh owner token for a buy in flight. */
const newBuyOwner = (deps: Pick<AppDeps, 'randomHex'>): string => `buy-${deps.randomHex()}${deps.randomHex()}`;
/** A pending order keeps the lock until it settles or expires, plus a margin for late notifications. */
const pendingTtlMs = (deps: AppDeps) => (deps.settings.paymentExpiryMinutes + 5) * 60_000;

export interface BuyLock {
  /** The pending order now holds the lock (its id becomes the owner) until it settles or expires. */
  holdFor(order: Order): Promise<void>;
  /** Keep the lock after `run` returns (a pending order waits for payment). */
  keep(): void;
}

/**
 * One transaction per buyer at a time. A second buy while the
 * lock is held is told which order is in progress. The lock is released when
 * `run` ends without keeping it (sold out, paid by balance, gateway failure)
 * and by `releaseBuyLock` when a pending order settles, expires or is
 * cancelled. It only saves work: the database's one-pending-order rule is the
 * guarantee, also when Redis lost the lock.
 */
export async function underBuyLock<T>(deps: AppDeps, waId: string, run: (lock: BuyLock) => Promise<T>, held?: HeldLock): Promise<T> {
  const key = buyLockKey(waId);
  // Taken already with the rate-limit hit (one Redis round trip for both): adopted here, given back below.
  const adopt = held && held.key === key ? held : null;
  if (adopt) adopt.adopted = true;
  let owner = adopt ? adopt.owner : newBuyOwner(deps);
  const attempt = adopt ? adopt.attempt : await deps.locks.acquire(key, owner, IN_FLIGHT_TTL_MS);
  deps.telemetry.lock(attempt.acquired);
  if (!attempt.acquired) {
    const holder = attempt.holder?.startsWith('KD-') ? attempt.holder : await pendingOrderId(deps, waId);
    throw new DomainError('TRANSACTION_IN_PROGRESS', { orderId: holder ?? '' });
  }
  let kept = false;
  try {
    return await run({
      async holdFor(order) {
        if (await deps.locks.handOver(key, owner, order.publicId, pendingTtlMs(deps))) owner = order.publicId;
      },
      keep: () => (kept = true),
    });
  } finally {
    if (!kept) await deps.locks.release(key, owner);
  }
}

/**
 * The buy lock as a buy-class command's rate-limit hit takes it (one Redis round trip for
 * both, `RateLimiter.hitAndLock`): what to ask for, and, once the command has run, giving
 * back a lock that no use case adopted (the command was refused before it ran). The
 * rate-limit middleware takes and gives back through this, `underBuyLock` adopts: the lock's
 * rules stay in this file.
 */
export interface BuyLockGate {
  request(waId: string): { key: string; owner: string; ttlMs: number };
  giveBackUnadopted(held: HeldLock | undefined): Promise<void>;
}

export const buyLockGate = (deps: Pick<AppDeps, 'randomHex' | 'locks'>): BuyLockGate => ({
  request: (waId) => ({ key: buyLockKey(waId), owner: newBuyOwner(deps), ttlMs: IN_FLIGHT_TTL_MS }),
  async giveBackUnadopted(held) {
    if (held && !held.adopted && held.attempt.acquired) await deps.locks.release(held.key, held.owner).catch(() => undefined);
  },
});

/** After an order left `pending`: frees its buyer's lock if that order still holds it. */
export async function releaseBuyLock(deps: AppDeps, order: Pick<Order, 'waId' | 'publicId'>): Promise<void> {
  await deps.locks.release(buyLockKey(order.waId), order.publicId);
}

async function pendingOrderId(deps: AppDeps, waId: string): Promise<string | null> {
  const user = await deps.store.autocommit.users.find(waId);
  return user ? ((await deps.store.autocommit.orders.pendingOf(user.userId))?.publicId ?? null) : null;
}
