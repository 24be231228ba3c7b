import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

/** `GET /metrics`: Prometheus text format; with METRICS_TOKEN set, only with `Authorization: Bearer <token>`. */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  app.get('/metrics', async (req, reply) => {
    if (token) {
      const given = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '';
      if (given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) return reply.code(401).send({ error: 'unauthorized' });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
