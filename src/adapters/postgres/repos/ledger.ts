import { CACHE } from '../../../app/cache-aside.js';
import type { LedgerRepo } from '../../../app/ports.js';
import { DomainError } from '../../../domain/errors.js';
import { pgError, type Sql } from '../db.js';
import type { ReportChange } from '../changes.js';

export const ledgerRepo = (sql: Sql, changed: ReportChange): LedgerRepo => ({
  async append(e) {
    try {
      const rows = await sql.query<{ balance_after: unknown; wa_id: string }>(
        `INSERT INTO ledger_entries (user_id, amount, kind, order_id, note) VALUES ($1, $2, $3, $4, $5)
         RETURNING balance_after, (SELECT wa_id FROM users WHERE id = user_id) AS wa_id`,
        [e.userId, e.amount, e.kind, e.orderId ?? null, e.note ?? ''],
      );
      changed(CACHE.profile.key(rows[0]!.wa_id));
      return Number(rows[0]!.balance_after);
    } catch (err) {
      if (pgError(err).constraint === 'users_balance_check') throw new DomainError('INSUFFICIENT_BALANCE');
      throw err;
    }
  },
  async creditedBy(orderId) {
    const [row] = await sql.query<{ n: unknown }>(`SELECT coalesce(sum(amount), 0) AS n FROM ledger_entries WHERE order_id = $1 AND amount > 0`, [orderId]);
    return Number(row?.n ?? 0);
  },
});
