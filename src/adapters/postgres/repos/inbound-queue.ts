import type { InboundMessage, InboundQueue } from '../../../app/ports.js';
import type { Sql } from '../db.js';

const revive = (m: Record<string, unknown>): InboundMessage => ({ ...(m as unknown as InboundMessage), at: new Date(String(m.at)) });

/** Inbound messages between "answered 200" and "handled": one row each, gone once handled. */
export const inboundQueue = (sql: Sql): InboundQueue => ({
  async keep(msgs) {
    await sql.query(
      `INSERT INTO inbound_queue (message_id, message) SELECT m->>'id', m FROM jsonb_array_elements($1::jsonb) m ON CONFLICT (message_id) DO NOTHING`,
      [JSON.stringify(msgs)],
    );
  },
  async done(id) {
    await sql.query('DELETE FROM inbound_queue WHERE message_id = $1', [id]);
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
});
