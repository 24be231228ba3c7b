import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SupplierCallbacks } from '../app/ports.js';
import { readTransaction } from '../adapters/digiflazz/client.js';
import { validHubSignature } from '../secret.js';

const REF_ID = /^[A-Za-z0-9_~.-]{1,50}$/;

/**
 * `POST /webhooks/digiflazz`: Digiflazz's callback. The signature (`X-Hub-Signature:
 * sha1=` HMAC of the raw body with DIGIFLAZZ_WEBHOOK_SECRET) is checked on the
 * bytes as received, in constant time. The answer is kept before the 200 (503
 * while the database cannot, so it comes again); a worker applies it.
 *
 * Without a secret (optional in Digiflazz's panel) no callback can be verified, so
 * none is applied; with a supplier configured (`hint`), each one only brings its
 * top-up's re-check through the signed API forward, the way a Midtrans notification
 * is confirmed with Get Status. Without a supplier every callback is refused.
 */
export function registerDigiflazzWebhook(
  app: FastifyInstance,
  callbacks: SupplierCallbacks,
  secret: () => string | null,
  onStored: () => void,
  onError: () => void = () => undefined,
  hint: ((refId: string) => Promise<boolean>) | null = null,
): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/digiflazz', async (req, reply) => {
      const key = secret();
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (key === null) {
        if (!hint) {
          req.log.warn('digiflazz callback refused: no supplier and no DIGIFLAZZ_WEBHOOK_SECRET');
          return reply.code(403).send({ error: 'callbacks are not accepted without a webhook secret' });
        }
        const refId = refIdOf(raw);
        if (refId === null) return reply.code(200).send({ ok: true });
        try {
          // The same answer whether or not the ref_id is an open top-up: a stranger learns nothing.
          await hint(refId);
          return reply.code(200).send({ ok: true });
        } catch (err) {
          onError();
          req.log.error({ err, orderId: refId }, 'digiflazz callback hint not recorded');
          return reply.code(503).send({ error: 'temporarily unavailable' });
        }
      }
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
      if (typeof refId !== 'string' || !REF_ID.test(refId)) return reply.code(400).send({ error: 'no ref_id' });
      try {
        const stored = await callbacks.store({
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

/** The ref_id an unverified callback names, or null (a ping, a malformed body). */
function refIdOf(raw: Buffer): string | null {
  try {
    const refId = (JSON.parse(raw.toString('utf8')) as { data?: { ref_id?: unknown } } | null)?.data?.ref_id;
    return typeof refId === 'string' && REF_ID.test(refId) ? refId : null;
  } catch {
    return null;
  }
}
