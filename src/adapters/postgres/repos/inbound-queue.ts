import type { InboundMessage, InboundQueue } from '../../../app/ports.js';
import type { Sql } from '../db.js';

const revive = (m: Record<string, unknown>): InboundMessage => ({ ...(m as unknown as InboundMessage), at: new Date(String(m.at)) });

/**
 * Inbound messages between "answered 200" and "handled": one row each, gone once handled.
 * The deletes of handled messages are batched (what one tick handled, in one statement)
 * and go through `relaxed`, the connection that does not wait for the WAL flush: a delete
 * lost in a crash only makes the recovery hand the message to the dedupe again, whose row
 * was flushed with the commit of whatever the message did.
 */
export const inboundQueue = (sql: Sql, relaxed: Sql = sql): InboundQueue => {
  let batch: { ids: string[]; flushed: Promise<void> } | null = null;
  let keeping: { msgs: InboundMessage[]; kept: Promise<void> } | null = null;
  const flush = (ids: string[]) => relaxed.query('DELETE FROM inbound_queue WHERE message_id = ANY($1::text[])', [ids]).then(() => undefined);
  return {
    /** The webhooks of one tick are kept by one statement and one commit, which every one of them waits for. */
    keep(msgs) {
      if (!keeping) {
        const batch: InboundMessage[] = [];
        keeping = {
          msgs: batch,
          kept: new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
            keeping = null;
            await sql.query(
              // Sorted, as the dedupe's insert is: the same webhook kept by two processes never deadlocks.
              `INSERT INTO inbound_queue (message_id, message) SELECT m->>'id', m FROM jsonb_array_elements($1::jsonb) m ORDER BY m->>'id' ON CONFLICT (message_id) DO NOTHING`,
              [JSON.stringify(batch)],
            );
          }),
        };
      }
      keeping.msgs.push(...msgs);
      return keeping.kept;
    },
    done(id) {
      if (!batch) {
        const ids: string[] = [];
        batch = { ids, flushed: new Promise<void>((resolve) => setImmediate(resolve)).then(() => ((batch = null), flush(ids))) };
      }
      batch.ids.push(id);
      return batch.flushed;
    },
    /** Leased for a minute, so several processes never re-handle the same one at once (the dedupe would drop the second anyway). */
    async stale(olderThanS, limit) {
      const rows = await sql.query<{ message: Record<string, unknown> }>(
        `UPDATE inbound_queue SET retried_at = now()
          WHERE message_id IN (SELECT message_id FROM inbound_queue
                                WHERE received_at <= now() - make_interval(secs => $1::float8)
                                  AND (retried_at IS NULL OR retried_at < now() - interval '60 seconds')
                                ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING message`,
        [olderThanS, limit],
      );
      return rows.map((r) => revive(typeof r.message === 'string' ? (JSON.parse(r.message) as Record<string, unknown>) : r.message));
    },
  };
};
