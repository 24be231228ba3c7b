import type { Redis } from 'ioredis';
import type { Database } from './adapters/postgres/db.js';
import type { RedisHealth } from './adapters/redis/client.js';
import type { Log } from './app/deps.js';
import type { OpsReport, SendingPause } from './app/ports.js';
import { createPoller, type Poller } from './jobs/poller.js';
import type { Metrics } from './metrics.js';

const ms = (started: number) => Math.round((performance.now() - started) * 10) / 10;

/** Database and Redis round-trip times right now (null when the database does not answer). */
export async function probe(db: Database, redis: { client: Redis; health: RedisHealth } | null): Promise<{ dbMs: number | null; redis: 'off' | 'down' | number }> {
  let t = performance.now();
  const dbMs = await db.query('SELECT 1').then(
    () => ms(t),
    () => null,
  );
  if (!redis) return { dbMs, redis: 'off' };
  t = performance.now();
  const redisMs = await redis.client.ping().then(
    () => ms(t),
    () => 'down' as const,
  );
  return { dbMs, redis: redisMs };
}

export function opsReporter(metrics: Metrics, db: Database, redis: { client: Redis; health: RedisHealth } | null, sendingPaused: () => SendingPause | null = () => null) {
  return {
    async report(reset = false): Promise<OpsReport> {
      const mem = process.memoryUsage();
      const [now, backlog] = await Promise.all([
        probe(db, redis),
        db
          .query<{ n: unknown }>(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`)
          .then((rows) => Number(rows[0]?.n ?? 0))
          .catch(() => null),
      ]);
      return {
        uptimeSeconds: Math.round(metrics.uptimeSeconds()),
        rssMb: Math.round(mem.rss / 1_048_576),
        heapMb: Math.round(mem.heapUsed / 1_048_576),
        ...metrics.figures(reset),
        ...now,
        outboxBacklog: backlog,
        sendingPaused: sendingPaused(),
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
      const paid = await db
        .query<{ n: unknown }>(`SELECT count(*) AS n FROM orders WHERE paid_at > now() - make_interval(secs => $1)`, [intervalS])
        .then((rows) => Number(rows[0]?.n ?? 0))
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
