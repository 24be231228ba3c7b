import type { LedgerRepo, PaymentEventRepo } from '../../../app/ports.js';
import { DomainError } from '../../../domain/errors.js';
import { pgError, type Sql } from '../db.js';
import type { Touch } from '../store.js';

export const ledgerRepo = (sql: Sql, touch: Touch): LedgerRepo => ({
  async append(e) {
    try {
      const rows = await sql.query<{ balance_after: unknown; wa_id: string }>(
        `INSERT INTO ledger_entries (user_id, amount, kind, order_id, note) VALUES ($1, $2, $3, $4, $5)
         RETURNING balance_after, (SELECT wa_id FROM users WHERE id = user_id) AS wa_id`,
        [e.userId, e.amount, e.kind, e.orderId ?? null, e.note ?? ''],
      );
      touch(`balance:${rows[0]!.wa_id}`);
      return Number(rows[0]!.balance_after);
    } catch (err) {
      if (pgError(err).constraint === 'users_balance_check') throw new DomainError('INSUFFICIENT_BALANCE');
      throw err;
    }
  },
});

export const paymentEventsRepo = (sql: Sql): PaymentEventRepo => ({
  async record(e, outcome) {
    const key = [e.gateway, e.orderRef, e.transactionId, e.transactionStatus, e.fraudStatus ?? ''].join(':');
    const rows = await sql.query(
      `INSERT INTO payment_events (gateway, order_ref, order_id, transaction_id, transaction_status, fraud_status,
         gross_amount, dedupe_key, outcome, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [e.gateway, e.orderRef, e.orderId, e.transactionId, e.transactionStatus, e.fraudStatus, e.grossAmount, key, outcome, JSON.stringify(e.raw)],
    );
    return rows.length === 1;
  },
});
