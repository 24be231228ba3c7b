import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';
import { fromThisMachine, type SecretGuard } from './edge.js';

export interface MetricsAccess {
  /** METRICS_TOKEN: with it, `Authorization: Bearer <token>` from anywhere (and nothing without). */
  token: string | null;
  /** Without a token: may a caller on another machine read the figures? (the embedded demo: yes; a real database: no) */
  openWithoutToken: boolean;
  proxyTrusted: boolean;
  guard: SecretGuard;
}

/**
 * `GET /metrics`: Prometheus text format. With METRICS_TOKEN, a bearer token
 * (checked through the shared SecretGuard); without it, on a real database only
 * callers on this machine (a Prometheus agent beside kedai).
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, access: MetricsAccess): void {
  app.get('/metrics', async (req, reply) => {
    if (access.token) {
      const verdict = access.guard.check(req.ip, req.headers.authorization?.replace(/^Bearer\s+/i, ''), access.token);
      if (verdict === null) return reply.code(429).send({ error: 'too many attempts' });
      if (!verdict) return reply.code(401).send({ error: 'unauthorized' });
    } else if (!access.openWithoutToken && !fromThisMachine(req, access.proxyTrusted)) {
      return reply.code(403).send({ error: 'set METRICS_TOKEN to read metrics from another machine' });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
