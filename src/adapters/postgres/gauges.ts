import type { Sql } from './db.js';

/**
 * The store's counts for operators (Prometheus gauges, `.performa`, the test
 * harness's "is anything left to do"): the only SQL the edges need, kept here.
 */
export const storeGauges = (sql: Sql) => ({
  /** One round trip: null when the database does not answer. */
  async pingMs(): Promise<number | null> {
    const t = performance.now();
    return sql.query('SELECT 1').then(
      () => Math.round((performance.now() - t) * 10) / 10,
      () => null,
    );
  },
  async ordersByStatus(): Promise<{ status: string; n: number }[]> {
    return (await sql.query<{ status: string; n: unknown }>('SELECT status, count(*) AS n FROM orders GROUP BY status')).map((r) => ({ status: r.status, n: Number(r.n) }));
  },
  async paymentEventsByStatus(): Promise<{ status: string; n: number }[]> {
    return (await sql.query<{ s: string; n: unknown }>('SELECT transaction_status AS s, count(*) AS n FROM payment_events GROUP BY 1')).map((r) => ({ status: r.s, n: Number(r.n) }));
  },
  async revenue(): Promise<number> {
    const [row] = await sql.query<{ n: unknown }>(`SELECT coalesce(sum(total), 0) AS n FROM orders WHERE kind = 'purchase' AND status IN ('paid', 'delivered')`);
    return Number(row?.n ?? 0);
  },
  /** Outbox rows waiting to be sent, and given up. */
  async outbox(): Promise<{ backlog: number; dead: number }> {
    const [row] = await sql.query<{ backlog: unknown; dead: unknown }>(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')) AS backlog, count(*) FILTER (WHERE status = 'dead') AS dead FROM outbox`,
    );
    return { backlog: Number(row?.backlog ?? 0), dead: Number(row?.dead ?? 0) };
  },
  async activeBuyers24h(): Promise<number> {
    const [row] = await sql.query<{ n: unknown }>(`SELECT count(*) AS n FROM users WHERE last_seen_at > now() - interval '24 hours'`);
    return Number(row?.n ?? 0);
  },
  async paidWithin(seconds: number): Promise<number> {
    const [row] = await sql.query<{ n: unknown }>(`SELECT count(*) AS n FROM orders WHERE paid_at > now() - make_interval(secs => $1)`, [seconds]);
    return Number(row?.n ?? 0);
  },
  /** Top-ups waiting for the supplier's final word. */
  async pendingTopups(): Promise<number> {
    const [row] = await sql.query<{ n: unknown }>(`SELECT count(*) AS n FROM supplier_orders WHERE status IN ('queued', 'pending', 'unknown')`);
    return Number(row?.n ?? 0);
  },
  /** The supplier deposit last seen (null: never read) and the top-ups waiting for its final word. */
  async supplier(): Promise<{ balance: number | null; pendingTopups: number }> {
    const [row] = await sql.query<{ balance: unknown; open: unknown }>(
      `SELECT (SELECT balance FROM supplier_state ORDER BY balance_at DESC NULLS LAST LIMIT 1) AS balance,
              (SELECT count(*) FROM supplier_orders WHERE status IN ('queued', 'pending', 'unknown')) AS open`,
    );
    return { balance: row?.balance === null || row?.balance === undefined ? null : Number(row.balance), pendingTopups: Number(row?.open ?? 0) };
  },
  /** Outbox rows and payment events due now: work the background jobs have not done yet. */
  async dueWork(): Promise<number> {
    const [row] = await sql.query<{ n: unknown }>(
      `SELECT (SELECT count(*) FROM outbox WHERE status = 'pending' AND next_attempt_at <= now())
            + (SELECT count(*) FROM payment_events WHERE applied_at IS NULL AND next_attempt_at <= now())
            + (SELECT count(*) FROM supplier_events WHERE applied_at IS NULL AND next_attempt_at <= now())
            + (SELECT count(*) FROM supplier_orders WHERE status IN ('queued', 'pending', 'unknown') AND next_check_at <= now()
                  AND (locked_until IS NULL OR locked_until < now())) AS n`,
    );
    return Number(row?.n ?? 0);
  },
});

export type StoreGauges = ReturnType<typeof storeGauges>;
