import type { OutboxQueue, OutboxRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';

export const outboxRepo = (sql: Sql, onEnqueue: () => void): OutboxRepo => ({
  async enqueue(m) {
    await sql.query('INSERT INTO outbox (recipient, body, image, kind, order_id) VALUES ($1, $2, $3, $4, $5)', [
      m.to,
      m.text,
      m.image ?? null,
      m.kind,
      m.orderId ?? null,
    ]);
    onEnqueue();
  },
});

/**
 * One statement that settles and claims (the dispatcher's round): the rows whose sends returned
 * are marked sent ($3: `[[id, [provider ids]], …]`, $4: their ids), then the due rows are leased,
 * oldest first, each only if no older message to its recipient is unsent (a row marked sent by
 * this same statement no longer counts: its recipient's next row may go at once). A busy
 * dispatcher pays one round trip and one commit for a group of finished sends and the claim
 * that refills their slots; it paid two per message (bench/cloud.ts: 1.5 of the 2.1 statements
 * a Cloud API purchase cost).
 *
 * The older-unsent check names the unsent rows as neither sent nor dead (pending, sending), the
 * predicate of `outbox_recipient_waiting` (migration 040) and of no other index, so
 * statistics taken with nothing waiting cannot send it to `outbox_due` (92 ms a claim behind
 * 5,000 postponed rows; ~4 ms this way). The `OFFSET 0` keeps it a probe of that index per candidate:
 * as an anti-join (what PostgreSQL makes of a plain NOT EXISTS), the generic plan built from a
 * young table's statistics scanned every unsent row once per candidate, 6.4 ms a claim in a burst
 * of purchases (bench/buy-only.ts, pg_stat_statements), ~0.2 ms this way. The rows being marked
 * are never candidates: one statement must not update a row twice. (A data-modifying WITH runs
 * to completion whether or not the statement reads it.)
 */
export const CLAIM_DUE = `WITH done AS (
  UPDATE outbox o SET status = 'sent', sent_at = now(), locked_until = NULL,
         wa_ids = CASE WHEN jsonb_array_length(x.ids) = 0 THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(x.ids)) END
    FROM (SELECT (e->>0)::bigint AS id, e->1 AS ids FROM jsonb_array_elements($3::jsonb) e) x
   WHERE o.id = x.id)
UPDATE outbox SET status = 'sending', attempts = attempts + 1,
       locked_until = now() + make_interval(secs => $2)
 WHERE id IN (SELECT id FROM outbox o
               WHERE ((status = 'pending' AND next_attempt_at <= now())
                   OR (status = 'sending' AND locked_until < now()))
                 AND o.id <> ALL ($4::bigint[])
                 AND NOT EXISTS (SELECT 1 FROM outbox e
                                  WHERE e.recipient = o.recipient AND e.id < o.id AND e.status <> 'sent' AND e.status <> 'dead'
                                    AND e.id <> ALL ($4::bigint[])
                                  OFFSET 0)
               ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
 RETURNING id, recipient, body, image, attempts, as_template, (kind IN ('delivery', 'payment_link') OR order_id IS NOT NULL) AS value, kind = 'restock' AS quiet`;

/** The dispatcher's side of the outbox: claim due rows with a lease, then settle each. */
export const outboxQueue = (sql: Sql): OutboxQueue => {
  return {
    /**
     * Marks `sent` rows sent, then leases up to `limit` due rows (pending, or sending with an
     * expired lease after a crash), in one statement (`CLAIM_DUE`). SKIP LOCKED lets several
     * dispatchers run without taking the same row, and only a recipient's oldest unsent row is
     * eligible, so no two dispatchers ever send one person's messages out of order.
     */
    async claim(limit, leaseSeconds, sent = []) {
      const rows = await sql.query<Record<string, unknown>>(CLAIM_DUE, [
        limit,
        leaseSeconds,
        JSON.stringify(sent.map((r) => [r.outboxId, r.providerIds])),
        sent.map((r) => r.outboxId),
      ]);
      return rows
        .map((r) => ({
          outboxId: String(r.id),
          recipient: String(r.recipient),
          body: String(r.body),
          image: r.image === null ? null : String(r.image),
          attempts: Number(r.attempts),
          asTemplate: r.as_template === true,
          value: r.value === true,
          quiet: r.quiet === true,
        }))
        .sort((a, b) => Number(a.outboxId) - Number(b.outboxId));
    },
    async sentRow(providerId) {
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT id, recipient, body, image, attempts, as_template, kind = 'restock' AS quiet FROM outbox WHERE wa_ids @> ARRAY[$1::text] AND status = 'sent' LIMIT 1`,
        [providerId],
      );
      const r = rows[0];
      return r
        ? { outboxId: String(r.id), recipient: String(r.recipient), body: String(r.body), image: r.image === null ? null : String(r.image), attempts: Number(r.attempts), asTemplate: r.as_template === true, quiet: r.quiet === true }
        : null;
    },
    async receipt(providerId, status, at) {
      await sql.query(
        `UPDATE outbox SET delivered_at = coalesce(delivered_at, $3), read_at = CASE WHEN $2 = 'read' THEN coalesce(read_at, $3) ELSE read_at END
          WHERE wa_ids @> ARRAY[$1::text]`,
        [providerId, status, at],
      );
    },
    async asTemplate(outboxId, error) {
      await sql.query(
        `UPDATE outbox SET status = 'pending', as_template = true, attempts = greatest(attempts - 1, 0), next_attempt_at = now(), locked_until = NULL, last_error = $2 WHERE id = $1`,
        [outboxId, error.slice(0, 500)],
      );
    },
    async postpone(outboxId, seconds, error) {
      await sql.query(
        `UPDATE outbox SET status = 'pending', attempts = greatest(attempts - 1, 0), next_attempt_at = now() + make_interval(secs => $2::float8),
                locked_until = NULL, last_error = $3
          WHERE id = $1`,
        [outboxId, seconds, error.slice(0, 500)],
      );
    },
    async failed(outboxId: string, error: string, retryInSeconds: number | null): Promise<void> {
      await sql.query(
        `UPDATE outbox SET status = CASE WHEN $3::float8 IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = now() + make_interval(secs => COALESCE($3::float8, 0)),
                locked_until = NULL, last_error = $2
          WHERE id = $1`,
        [outboxId, error.slice(0, 500), retryInSeconds],
      );
    },
  };
};
