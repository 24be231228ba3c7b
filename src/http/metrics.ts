import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';
import { fromThisMachine, type SecretGuard } from './edge.js';

export interface MetricsAccess {
  /** METRICS_TOKEN: with it, `Authorization: Bearer <token>` from anywhere (and nothing without). */
  token: string | null;
  proxyTrusted: boolean;
  guard: SecretGuard;
}

/**
 * `GET /metrics`: Prometheus text format. With METRICS_TOKEN, a bearer token
 * (checked through the shared SecretGuard); without it, only callers on this
 * machine (a Prometheus agent beside kedai): sales figures are the seller's.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, access: MetricsAccess): void {
  app.get('/metrics', async (req, reply) => {
    if (access.token) {
      const verdict = access.guard.check(req.ip, req.headers.authorization?.replace(/^Bearer\s+/i, ''), access.token);
      if (verdict === null) return reply.code(429).send({ error: 'too many attempts' });
      if (!verdict) return reply.code(401).send({ error: 'unauthorized' });
    } else if (!fromThisMachine(req, access.proxyTrusted)) {
      return reply.code(403).send({ error: 'set METRICS_TOKEN to read metrics from another machine' });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
