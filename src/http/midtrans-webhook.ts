import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { applyPaymentNotification } from '../app/settle-payment.js';
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

const STATUS = { applied: 200, duplicate: 200, unknown_order: 200, amount_mismatch: 400, unconfirmed: 409 } as const;

/**
 * `POST /webhooks/midtrans`: verify the signature, check and confirm, then store
 * and apply in one transaction. 2xx only after the event is stored; a fault
 * (database down, status check unreachable) answers 503 so Midtrans retries.
 */
export function registerMidtransWebhook(app: FastifyInstance, deps: AppDeps, serverKey: string): void {
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
      const result = await applyPaymentNotification(deps, {
        gateway: 'midtrans',
        orderId: n.order_id,
        transactionId: n.transaction_id ?? '',
        transactionStatus: n.transaction_status,
        fraudStatus: n.fraud_status ?? null,
        grossAmount: n.gross_amount,
        raw: n,
      });
      return reply.code(STATUS[result]).send({ result });
    } catch (err) {
      req.log.error({ err, orderId: n.order_id }, 'midtrans notification not applied');
      return reply.code(503).send({ error: 'temporarily unavailable' });
    }
  });
}
