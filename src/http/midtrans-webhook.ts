import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PaymentEvents } from '../app/ports.js';
import { verifyNotificationSignature } from '../adapters/midtrans/signature.js';

// Lenient: Midtrans adds fields over time; only what we use is required.
const notification = z.looseObject({
  order_id: z.string().min(1).max(50),
  status_code: z.string().min(1),
  gross_amount: z.string().min(1),
  signature_key: z.string().min(1),
  transaction_status: z.string().min(1),
  transaction_id: z.string().optional(),
  fraud_status: z.string().optional(),
});

/**
 * `POST /webhooks/midtrans`: verify the signature on what was received, store
 * the event (once), answer. 200 only after the event is stored; while the
 * database is down, 503 so Midtrans retries. The paymentEvents worker does the rest.
 */
export function registerMidtransWebhook(app: FastifyInstance, paymentEvents: PaymentEvents, serverKey: string, onError: () => void = () => undefined): void {
  app.post('/webhooks/midtrans', async (req, reply) => {
    const parsed = notification.safeParse(req.body);
    if (!parsed.success) {
      req.log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'malformed midtrans notification');
      return reply.code(400).send({ error: 'malformed notification' });
    }
    const n = parsed.data;
    if (!verifyNotificationSignature(n, serverKey)) {
      req.log.warn({ orderId: n.order_id, status: n.transaction_status }, 'midtrans notification with a bad signature');
      return reply.code(401).send({ error: 'invalid signature' });
    }
    try {
      const stored = await paymentEvents.store({
        gateway: 'midtrans',
        orderRef: n.order_id,
        transactionId: n.transaction_id ?? '',
        transactionStatus: n.transaction_status,
        fraudStatus: n.fraud_status ?? null,
        grossAmount: n.gross_amount,
        raw: n,
      });
      return reply.code(200).send({ stored, duplicate: !stored });
    } catch (err) {
      onError();
      req.log.error({ err, orderId: n.order_id }, 'midtrans notification not stored');
      return reply.code(503).send({ error: 'temporarily unavailable' });
    }
  });
}
