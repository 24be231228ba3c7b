import { Redis } from 'ioredis';
import type { Log } from '../../app/deps.js';

/**
 * Tracks whether Redis is usable. The outage is logged once when it starts and
 * once when it ends, never per command; `errors` counts every failed call.
 */
export class RedisHealth {
  up = false;
  errors = 0;
  private everUp = false;
  private readonly recovered: (() => void)[] = [];
  constructor(private readonly log: Log) {}

  /** Runs `fn` each time Redis comes back after an outage. */
  onRecover(fn: () => void): void {
    this.recovered.push(fn);
  }

  failed(err: unknown): void {
    this.errors++;
    if (this.up || !this.everUp) {
      if (this.up || this.errors === 1) {
        this.log.warn({ err }, 'redis unavailable: continuing without it (cache bypassed, in-process rate limit, database lock rule)');
      }
      this.up = false;
    }
  }

  ok(): void {
    if (!this.up) {
      const outage = this.everUp || this.errors > 0;
      if (outage) this.log.info({ errors: this.errors }, 'redis is back: using it again');
      this.up = true;
      this.everUp = true;
      if (outage) for (const fn of this.recovered) fn();
    }
  }
}

/**
 * An ioredis client set to fail fast, since a Redis failure must never stop the
 * store (it goes on without the cache, the shared limiter and the lock): a short command timeout, no offline queue (a command
 * while disconnected fails at once instead of waiting), and reconnects forever
 * with a bounded backoff so Redis is picked up again without a restart.
 * Every key gets `prefix`, so several stores can share one Redis.
 */
export function createRedis(url: string, prefix: string, health: RedisHealth): Redis {
  const redis = new Redis(url, {
    keyPrefix: prefix,
    commandTimeout: 200,
    connectTimeout: 1_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    // Commands issued in the same tick share one write and one round trip.
    enableAutoPipelining: true,
  });
  redis.on('ready', () => health.ok());
  redis.on('error', (err) => health.failed(err));
  return redis;
}
