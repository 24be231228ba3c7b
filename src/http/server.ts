import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../adapters/postgres/db.js';
import { pendingMigrations } from '../adapters/postgres/migrate.js';
import type { Redis } from 'ioredis';
import type { RedisHealth } from '../adapters/redis/client.js';
import { probe } from '../ops.js';
import type { SendingPause } from '../app/ports.js';

/** Trust the nearest `n` proxies: a hop count, as proxy-addr counts them. */
const hops = (n: number) => (_address: string, hop: number) => hop < n;

/** The HTTP edge. Routes are registered by the parts that own them (webhooks, web chat, sandbox). */
export function createHttpServer(log: Logger, opts: { trustProxy: false | number | string[] } = { trustProxy: false }): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per request would drown the order logs; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: with no request lines there is nothing its id would tie together,
    // and making one (its bindings passed through the redaction) cost a webhook ~1.5% of its allocations.
    childLoggerFactory: (logger) => logger,
    bodyLimit: 1_048_576,
    // X-Forwarded-* only from the proxies the operator names (TRUST_PROXY): otherwise anyone could pick their address.
    trustProxy: typeof opts.trustProxy === 'number' ? hops(opts.trustProxy) : opts.trustProxy,
  });
  // Every route, as registered: the security test checks each one refuses strangers however it is spelled.
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => void routes.push(...[r.method].flat().map((method) => ({ method, url: r.url }))));
  app.decorate('registeredRoutes', routes);
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    // Never a stack trace to the caller.
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : err instanceof Error ? err.message : 'bad request' });
  });
  app.get('/', async (_req, reply) => reply.redirect('/chat'));
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on the server (method and URL pattern). */
    readonly registeredRoutes: readonly { method: string; url: string }[];
  }
}

/**
 * Readiness needs the database; Redis is reported but not required (a Redis failure never
 * stops the store). Public probes say whether the store works, nothing about the business:
 * latencies, queue depths, the supplier deposit and why sending is paused are for
 * `/metrics`, the dashboard and `.performa`.
 */
export function registerHealth(
  app: FastifyInstance,
  db: Database,
  redis: { client: Redis; health: RedisHealth } | null,
  sendingPaused: () => SendingPause | null = () => null,
  /** The WhatsApp link as this process sees it (Baileys: `open` in the process that holds it, `standby` in the others). */
  link: () => string | null = () => null,
): void {
  // Paused sending is reported, not made a 503: the store still takes orders and webhooks, and the outbox keeps every message.
  const whatsapp = () => ({ sending: sendingPaused() ? 'paused' : 'ok', ...(link() ? { link: link() } : {}) });
  const redisState = async () => {
    if (!redis) return { configured: false };
    const { redis: latency } = await probe(db, redis).catch(() => ({ redis: 'down' as const }));
    return { configured: true, up: typeof latency === 'number' };
  };
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      const ok = (await pendingMigrations(db)).length === 0;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'migrations pending', database: { ok: true }, redis: await redisState(), whatsapp: whatsapp() });
    } catch {
      return reply.code(503).send({ status: 'not ready', database: { ok: false }, redis: await redisState(), whatsapp: whatsapp() });
    }
  });
}
