import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database, Sql } from './adapters/postgres/db.js';
import { storeGauges } from './adapters/postgres/gauges.js';
import type { RedisHealth } from './adapters/redis/client.js';
import type { OutboundMessage, Telemetry, Transport } from './app/ports.js';

const OPERATION = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(select|insert|update|delete)\b/i;

/**
 * kedai's Prometheus metrics (`/metrics`) and the figures of the console summary
 * and `.performa`. Counters are counted as things happen; figures that live in the
 * database (orders by status, outbox backlog, revenue, active buyers) are read on
 * each scrape.
 */
export class Metrics implements Telemetry {
  readonly registry = new Registry();
  private readonly started = Date.now();
  private readonly cacheRequests = new Counter({ name: 'kedai_cache_requests_total', help: 'Cache lookups', labelNames: ['cache', 'result'], registers: [this.registry] });
  private readonly locks = new Counter({ name: 'kedai_buy_lock_total', help: 'Buy lock attempts', labelNames: ['result'], registers: [this.registry] });
  private readonly limited = new Counter({ name: 'kedai_rate_limit_blocks_total', help: 'Messages turned away by the rate limit', labelNames: ['class'], registers: [this.registry] });
  private readonly errors = new Counter({ name: 'kedai_errors_total', help: 'Unexpected errors', labelNames: ['kind'], registers: [this.registry] });
  private readonly messages = new Counter({ name: 'kedai_messages_total', help: 'WhatsApp messages', labelNames: ['direction'], registers: [this.registry] });
  private readonly response = new Histogram({
    name: 'kedai_response_seconds',
    help: 'Message in to first reply queued',
    labelNames: ['command'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly queries = new Histogram({
    name: 'kedai_db_query_seconds',
    help: 'Database statement duration',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  private readonly supplierCalls = new Histogram({
    name: 'kedai_supplier_call_seconds',
    help: 'Supplier calls (top-up orders and status checks) by outcome: success, pending, failed, unknown',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly topups = new Counter({ name: 'kedai_topups_total', help: 'Top-ups settled: delivered or refunded', labelNames: ['result'], registers: [this.registry] });
  /** Recent response times for the console's p95 (a window, not all time). */
  private recent: number[] = [];
  private counts = { in: 0, limited: 0, lockTries: 0, contended: 0, hits: 0, lookups: 0 };

  constructor(db: Database, redisHealth: () => RedisHealth | null) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kedai_' });
    const r = [this.registry];
    const started = this.started;
    new Gauge({
      name: 'kedai_uptime_seconds',
      help: 'Process uptime in seconds',
      registers: r,
      collect() {
        this.set((Date.now() - started) / 1000);
      },
    });
    new Gauge({
      name: 'kedai_redis_up',
      help: '1 when Redis answers (absent without REDIS_URL)',
      registers: r,
      collect() {
        const redis = redisHealth();
        if (redis) this.set(redis.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'kedai_redis_errors',
      help: 'Failed Redis calls since start',
      registers: r,
      collect() {
        const redis = redisHealth();
        if (redis) this.set(redis.errors);
      },
    });
    new Gauge({
      name: 'kedai_db_pool_connections',
      help: 'pg pool connections',
      labelNames: ['state'],
      registers: r,
      collect() {
        const s = db.poolStats?.();
        if (!s) return;
        this.set({ state: 'in_use' }, s.inUse);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
    const fromDb = (name: string, help: string, labelNames: string[], read: (g: Gauge) => Promise<void>) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: r,
        async collect() {
          await read(this).catch(() => undefined); // database down: the gauge keeps its last value
        },
      });
    const gauges = storeGauges(db);
    fromDb('kedai_orders', 'Orders by status', ['status'], async (g) => {
      for (const row of await gauges.ordersByStatus()) g.set({ status: row.status }, row.n);
    });
    fromDb('kedai_payment_events', 'Stored gateway notifications by status', ['status'], async (g) => {
      for (const row of await gauges.paymentEventsByStatus()) g.set({ status: row.status }, row.n);
    });
    fromDb('kedai_revenue_rupiah', 'Revenue of sold purchases (rupiah)', [], async (g) => g.set(await gauges.revenue()));
    fromDb('kedai_outbox', 'Outbox rows waiting or dead', ['state'], async (g) => {
      const { backlog, dead } = await gauges.outbox();
      g.set({ state: 'backlog' }, backlog);
      g.set({ state: 'dead' }, dead);
    });
    fromDb('kedai_supplier_deposit_rupiah', 'The supplier deposit as last read (rupiah; absent until first read)', [], async (g) => {
      const { balance } = await gauges.supplier();
      if (balance !== null) g.set(balance);
    });
    fromDb('kedai_topups_pending', 'Top-ups waiting for the supplier\'s final word', [], async (g) => g.set(await gauges.pendingTopups()));
    fromDb('kedai_active_buyers_24h', 'Distinct buyers who wrote in the last 24 hours', [], async (g) => g.set(await gauges.activeBuyers24h()));
  }

  cache(name: string, hit: boolean): void {
    this.cacheRequests.inc({ cache: name, result: hit ? 'hit' : 'miss' });
    this.counts.lookups++;
    if (hit) this.counts.hits++;
  }
  lock(acquired: boolean): void {
    this.locks.inc({ result: acquired ? 'acquired' : 'contended' });
    this.counts.lockTries++;
    if (!acquired) this.counts.contended++;
  }
  rateLimited(kind: 'buy' | 'cmd'): void {
    this.limited.inc({ class: kind });
    this.counts.limited++;
  }
  error(kind: string): void {
    this.errors.inc({ kind });
  }
  responded(command: string, seconds: number): void {
    this.response.observe({ command }, seconds);
    this.recent.push(seconds);
    if (this.recent.length > 2_000) this.recent = this.recent.slice(-1_000);
  }
  message(direction: 'in' | 'out'): void {
    this.messages.inc({ direction });
    if (direction === 'in') this.counts.in++;
  }

  supplierCall(outcome: string, seconds: number): void {
    this.supplierCalls.observe({ outcome }, seconds);
  }
  topup(result: 'delivered' | 'refunded'): void {
    this.topups.inc({ result });
  }

  /** Times every statement of `db`, by its SQL verb. */
  instrument(db: Database): Database {
    const timed = (sql: Sql): Sql => ({
      query: async (text, params) => {
        const end = this.queries.startTimer({ operation: (OPERATION.exec(text)?.[1] ?? 'other').toLowerCase() });
        try {
          return await sql.query(text, params);
        } finally {
          end();
        }
      },
      exec: (script) => sql.exec(script),
    });
    return { ...db, ...timed(db), transaction: (fn) => db.transaction((sql) => fn(timed(sql))) };
  }

  /** Counts every outbound message of a transport. */
  counting(transport: Transport): Transport {
    return {
      name: transport.name,
      start: (onMessage) => transport.start(onMessage),
      stop: () => transport.stop(),
      send: async (to: string, msg: OutboundMessage) => {
        const ids = await transport.send(to, msg);
        this.message('out');
        return ids;
      },
    };
  }

  /** `kedai_gateway_breaker_open`: 1 while the payment gateway's circuit breaker turns calls away. */
  watchBreaker(open: () => boolean): void {
    new Gauge({
      name: 'kedai_gateway_breaker_open',
      help: '1 while the payment gateway circuit breaker is open (calls fail fast)',
      registers: [this.registry],
      collect() {
        this.set(open() ? 1 : 0);
      },
    });
  }

  uptimeSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  /** The figures since the last summary; `reset` starts a new window (the summary does, `.performa` does not). */
  figures(reset: boolean): { messages: number; p95ms: number | null; cacheHitRatio: number | null; lockContention: number | null; rateLimited: number } {
    const sorted = [...this.recent].sort((a, b) => a - b);
    const c = this.counts;
    const window = {
      messages: c.in,
      p95ms: sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]! * 1000 * 10) / 10 : null,
      cacheHitRatio: c.lookups ? Math.round((c.hits / c.lookups) * 1000) / 1000 : null,
      lockContention: c.lockTries ? Math.round((c.contended / c.lockTries) * 1000) / 1000 : null,
      rateLimited: c.limited,
    };
    if (reset) {
      this.counts = { in: 0, limited: 0, lockTries: 0, contended: 0, hits: 0, lookups: 0 };
      this.recent = [];
    }
    return window;
  }
}
