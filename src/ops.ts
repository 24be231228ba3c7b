import type { Redis } from 'ioredis';
import type { Database } from './adapters/postgres/db.js';
import { storeGauges } from './adapters/postgres/gauges.js';
import type { RedisHealth } from './adapters/redis/client.js';
import type { Log } from './app/deps.js';
import type { OpsReport, SendingPause } from './app/ports.js';
import { createPoller, type Poller } from './jobs/poller.js';
import type { Metrics } from './metrics.js';

const ms = (started: number) => Math.round((performance.now() - started) * 10) / 10;

/** Database and Redis round-trip times right now (null when the database does not answer). */
export async function probe(db: Database, redis: { client: Redis; health: RedisHealth } | null): Promise<{ dbMs: number | null; redis: 'off' | 'down' | number }> {
  const dbMs = await storeGauges(db).pingMs();
  if (!redis) return { dbMs, redis: 'off' };
  const t = performance.now();
  const redisMs = await redis.client.ping().then(
    () => ms(t),
    () => 'down' as const,
  );
  return { dbMs, redis: redisMs };
}

export function opsReporter(
  metrics: Metrics,
  db: Database,
  redis: { client: Redis; health: RedisHealth } | null,
  sendingPaused: () => SendingPause | null = () => null,
  /** SUPPLIER_LOW_BALANCE, or null without a top-up supplier. */
  supplierLow: number | null = null,
) {
  return {
    async report(reset = false): Promise<OpsReport> {
      const mem = process.memoryUsage();
      const [now, backlog, supplier] = await Promise.all([
        probe(db, redis),
        storeGauges(db)
          .outbox()
          .then((o) => o.backlog)
          .catch(() => null),
        supplierLow === null ? null : storeGauges(db).supplier().catch(() => null),
      ]);
      return {
        uptimeSeconds: Math.round(metrics.uptimeSeconds()),
        rssMb: Math.round(mem.rss / 1_048_576),
        heapMb: Math.round(mem.heapUsed / 1_048_576),
        ...metrics.figures(reset),
        ...now,
        outboxBacklog: backlog,
        sendingPaused: sendingPaused(),
        supplier: supplier && supplierLow !== null ? { ...supplier, low: supplier.balance !== null && supplier.balance < supplierLow } : null,
      };
    },
  };
}

/**
 * One log line every `intervalS` with what an operator watches: messages per
 * minute, p95 response, cache hit ratio, lock contention, rate-limit blocks,
 * database and Redis state, outbox backlog and orders paid in the window.
 */
export function consoleSummary(ops: ReturnType<typeof opsReporter>, db: Database, log: Log, intervalS: number): Poller {
  return createPoller(
    'summary',
    async () => {
      const r = await ops.report(true);
      const paid = await storeGauges(db)
        .paidWithin(intervalS)
        .catch(() => null);
      log.info(
        {
          messagesPerMin: Math.round((r.messages / intervalS) * 60 * 10) / 10,
          p95ms: r.p95ms,
          cacheHitRatio: r.cacheHitRatio,
          lockContention: r.lockContention,
          rateLimited: r.rateLimited,
          db: r.dbMs === null ? 'down' : `${r.dbMs}ms`,
          redis: typeof r.redis === 'number' ? `${r.redis}ms` : r.redis,
          outboxBacklog: r.outboxBacklog,
          ordersPaid: paid,
        },
        'summary',
      );
      return { full: false };
    },
    log,
    intervalS * 1000,
  );
}
