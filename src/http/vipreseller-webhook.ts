import type { FastifyInstance } from 'fastify';
import { sameSecret } from '../secret.js';

const TRXID = /^[A-Za-z0-9_~.:-]{1,80}$/;

/**
 * `POST /webhooks/vipreseller`: VIP-Reseller's callback. Its `X-Client-Signature` is a static
 * md5(API_ID + API_KEY) that does not cover the body, so it is checked (in constant time) to
 * turn strangers away, but the body is never taken at its word: the callback only brings
 * that order's status check through the signed API forward (reference §10), and the answer
 * to that check is what moves money. Unknown trxids get the same answer (a stranger learns nothing).
 */
export function registerVipWebhook(
  app: FastifyInstance,
  expected: () => string | null,
  refOf: (trxid: string) => Promise<string | null>,
  hint: (refId: string) => Promise<boolean>,
  onError: () => void = () => undefined,
): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/vipreseller', async (req, reply) => {
      const key = expected();
      if (key === null) return reply.code(403).send({ error: 'VIP-Reseller is not configured' });
      if (!sameSecret(req.headers['x-client-signature'], key)) {
        req.log.warn('vip-reseller callback with a missing or bad X-Client-Signature');
        return reply.code(401).send({ error: 'invalid signature' });
      }
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const trxid = trxidOf(raw);
      if (trxid === null) return reply.code(200).send({ ok: true });
      try {
        const refId = await refOf(trxid);
        if (refId) await hint(refId);
        return reply.code(200).send({ ok: true });
      } catch (err) {
        onError();
        req.log.error({ err }, 'vip-reseller callback not recorded');
        return reply.code(503).send({ error: 'temporarily unavailable' });
      }
    });
  });
}

/** The trxid a callback names (JSON or form), or null. */
function trxidOf(raw: string): string | null {
  let id: unknown;
  try {
    const body = JSON.parse(raw) as { data?: { trxid?: unknown; id?: unknown } } | null;
    id = body?.data?.trxid ?? body?.data?.id;
  } catch {
    id = new URLSearchParams(raw).get('trxid');
  }
  const s = typeof id === 'number' ? String(id) : id;
  return typeof s === 'string' && TRXID.test(s) ? s : null;
}
