import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SupplierInbox } from '../app/ports.js';
import { readTransaction } from '../adapters/digiflazz/client.js';
import { validHubSignature } from '../secret.js';

/**
 * `POST /webhooks/digiflazz`: Digiflazz's callback. The signature (`X-Hub-Signature:
 * sha1=` HMAC of the raw body with DIGIFLAZZ_WEBHOOK_SECRET) is checked on the
 * bytes as received, in constant time; without a secret configured every callback
 * is refused (kedai re-checks instead). The answer is kept before the 200 (503
 * while the database cannot, so it comes again); a worker applies it.
 */
export function registerDigiflazzWebhook(app: FastifyInstance, inbox: SupplierInbox, secret: () => string | null, onStored: () => void, onError: () => void = () => undefined): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/digiflazz', async (req, reply) => {
      const key = secret();
      if (key === null) {
        req.log.warn('digiflazz callback refused: DIGIFLAZZ_WEBHOOK_SECRET is not set');
        return reply.code(403).send({ error: 'callbacks are not accepted without a webhook secret' });
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!validHubSignature(raw, req.headers['x-hub-signature'] as string | undefined, key, 'sha1')) {
        req.log.warn('digiflazz callback with a missing or bad signature');
        return reply.code(401).send({ error: 'invalid signature' });
      }
      let body: { data?: { ref_id?: unknown }; hook_id?: unknown };
      try {
        body = JSON.parse(raw.toString('utf8')) as typeof body;
      } catch {
        return reply.code(400).send({ error: 'malformed body' });
      }
      // The ping Digiflazz sends when the webhook is set up.
      if (body.hook_id !== undefined && body.data === undefined) return reply.code(200).send({ ok: true });
      const refId = body.data?.ref_id;
      if (typeof refId !== 'string' || !/^[A-Za-z0-9_~.-]{1,50}$/.test(refId)) return reply.code(400).send({ error: 'no ref_id' });
      try {
        const stored = await inbox.store({
          supplier: 'digiflazz',
          refId,
          body: readTransaction(body, refId),
          digest: createHash('sha256').update(raw).digest('hex'),
        });
        if (stored) onStored();
        return reply.code(200).send({ stored, duplicate: !stored });
      } catch (err) {
        onError();
        req.log.error({ err, orderId: refId }, 'digiflazz callback not stored');
        return reply.code(503).send({ error: 'temporarily unavailable' });
      }
    });
  });
}
