import type { InboundMessage, InboundQueue } from '../../../app/ports.js';
import type { Sql } from '../db.js';

const revive = (m: Record<string, unknown>): InboundMessage => ({ ...(m as unknown as InboundMessage), at: new Date(String(m.at)) });

/**
 * Inbound messages between "answered 200" and "handled": one row each, gone once handled.
 * The deletes of handled messages are batched (what one tick handled, in one statement)
 * and go through `relaxed`, the connection that does not wait for the WAL flush: a delete
 * lost in a crash only makes the recovery hand the message to the dedupe again, whose row
 * was flushed with the commit of whatever the message did. While webhooks come in, the
 * deletes ride on the next keep instead: one statement a tick for both (a busy bot paid an
 * eighth of its statements for the deletes alone). A replay of a message kept in the same
 * statement that deletes the message is a duplicate either way: the dedupe drops it.
 */
export const inboundQueue = (sql: Sql, relaxed: Sql = sql, retryMs = 5_000): InboundQueue => {
  let batch: { ids: string[]; flushed: Promise<void> } | null = null;
  let keeping: { msgs: InboundMessage[]; gone: string[]; kept: Promise<void> } | null = null;
  /**
   * Handled messages whose delete failed (the database blinked): deleted again `retryMs` later, so
   * the recovery (a minute on) does not take a finished message for one cut off and tell its sender
   * to check before sending it again. Lost only with the process, which the recovery is for.
   */
  const undeleted = new Set<string>();
  let retry: NodeJS.Timeout | null = null;
  const failed = (ids: readonly string[]) => {
    for (const id of ids) if (undeleted.size < 10_000) undeleted.add(id);
    retry ??= setTimeout(() => {
      retry = null;
      const again = [...undeleted];
      undeleted.clear();
      flush(again).catch(() => undefined);
    }, retryMs);
    retry.unref?.();
  };
  const flush = (ids: string[]): Promise<void> =>
    relaxed.query('DELETE FROM inbound_queue WHERE message_id = ANY($1::text[])', [ids]).then(
      () => undefined,
      (err: unknown) => {
        failed(ids);
        throw err;
      },
    );
  return {
    /** The webhooks of one tick are kept by one statement and one commit, which every one of them waits for. */
    keep(msgs) {
      if (!keeping) {
        const msgs: InboundMessage[] = [];
        const gone: string[] = [];
        keeping = {
          msgs,
          gone,
          kept: new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
            keeping = null;
            // Sorted, as the dedupe's insert is: the same webhook kept by two processes never deadlocks.
            const keep = `INSERT INTO inbound_queue (message_id, message) SELECT m->>'id', m FROM jsonb_array_elements($1::jsonb) m ORDER BY m->>'id' ON CONFLICT (message_id) DO NOTHING`;
            if (gone.length === 0) await sql.query(keep, [JSON.stringify(msgs)]);
            else
              await sql.query(`WITH gone AS (DELETE FROM inbound_queue WHERE message_id = ANY($2::text[])) ${keep}`, [JSON.stringify(msgs), gone]).catch((err: unknown) => {
                failed(gone);
                throw err;
              });
          }),
        };
      }
      keeping.msgs.push(...msgs);
      return keeping.kept;
    },
    done(id) {
      if (keeping) {
        keeping.gone.push(id);
        return keeping.kept;
      }
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
        // In the order they came (an UPDATE returns its rows in no promised order; WhatsApp's own time, to the second, within a keep): a sender's messages are handled in that order.
        `WITH leased AS (
           UPDATE inbound_queue SET retried_at = now()
            WHERE message_id IN (SELECT message_id FROM inbound_queue
                                  WHERE received_at <= now() - make_interval(secs => $1::float8)
                                    AND (retried_at IS NULL OR retried_at < now() - interval '60 seconds')
                                  ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING message, received_at, message_id)
         SELECT message FROM leased ORDER BY received_at, message->>'at', message_id`,
        [olderThanS, limit],
      );
      return rows.map((r) => revive(typeof r.message === 'string' ? (JSON.parse(r.message) as Record<string, unknown>) : r.message));
    },
  };
};
