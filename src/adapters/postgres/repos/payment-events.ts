import type { PaymentEvent, PaymentEventRecord, PaymentEventRepo, PaymentEvents } from '../../../app/ports.js';
import type { Sql } from '../db.js';

const dedupeKey = (e: PaymentEventRecord) => [e.gateway, e.orderRef, e.transactionId, e.transactionStatus, e.fraudStatus ?? ''].join(':');

export const paymentEventsRepo = (sql: Sql): PaymentEventRepo => ({
  async markApplied(eventId, outcome, orderId, flag) {
    const rows = await sql.query(
      `UPDATE payment_events SET applied_at = now(), outcome = $2, order_id = $3, flag = $4, locked_until = NULL
        WHERE id = $1 AND applied_at IS NULL RETURNING id`,
      [eventId, outcome, orderId, flag ?? null],
    );
    return rows.length === 1;
  },
});

export const paymentEventStore = (sql: Sql): PaymentEvents => ({
  /**
   * Once per dedupe key, except that an event set aside without effect (flagged:
   * a wrong amount, an unknown order, never confirmed) does not swallow the ones
   * that follow: the next notification with its key is stored over it and applied.
   */
  async store(e) {
    const rows = await sql.query(
      `INSERT INTO payment_events (gateway, order_ref, transaction_id, transaction_status, fraud_status, gross_amount, dedupe_key, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (dedupe_key) DO UPDATE
          SET gross_amount = EXCLUDED.gross_amount, raw = EXCLUDED.raw, received_at = now(), applied_at = NULL, outcome = NULL, flag = NULL,
              attempts = 0, next_attempt_at = now(), locked_until = NULL, last_error = NULL
        WHERE payment_events.flag IS NOT NULL
       RETURNING id`,
      [e.gateway, e.orderRef, e.transactionId, e.transactionStatus, e.fraudStatus, e.grossAmount, dedupeKey(e), JSON.stringify(e.raw)],
    );
    return rows.length === 1;
  },
  async claim(limit, leaseSeconds) {
    const rows = await sql.query<Record<string, unknown>>(
      `UPDATE payment_events SET attempts = attempts + 1, locked_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM payment_events
                      WHERE applied_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, gateway, order_ref, transaction_id, transaction_status, fraud_status, gross_amount, raw, attempts`,
      [limit, leaseSeconds],
    );
    return rows
      .map(
        (r): PaymentEvent => ({
          eventId: String(r.id),
          gateway: String(r.gateway),
          orderRef: String(r.order_ref),
          transactionId: String(r.transaction_id),
          transactionStatus: String(r.transaction_status),
          fraudStatus: r.fraud_status === null ? null : String(r.fraud_status),
          grossAmount: String(r.gross_amount),
          raw: r.raw,
          attempts: Number(r.attempts),
        }),
      )
      .sort((a, b) => Number(a.eventId) - Number(b.eventId));
  },
  async retryLater(eventId, error, inSeconds) {
    await sql.query(
      `UPDATE payment_events SET next_attempt_at = now() + make_interval(secs => $3), locked_until = NULL, last_error = $2 WHERE id = $1`,
      [eventId, error.slice(0, 500), inSeconds],
    );
  },
});
