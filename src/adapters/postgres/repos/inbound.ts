import type { InboundDedupe } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import { grouped } from '../grouped.js';

/**
 * The one authority on inbound message ids, shared by every process. Redis used
 * to decide with the database only as its fallback, but a process that saw a
 * Redis timeout (a busy event loop is enough) then asked a *different* store
 * than its neighbour, and both answered the same message. Now the database
 * decides; `standIn` (Redis) answers only while the database cannot.
 *
 * Ids are written in batches, like a group commit: a quiet bot inserts each id
 * at once; while one insert is in flight the ids that arrive queue and go
 * together as the next statement. A busy bot then pays one round trip for many
 * messages instead of one each (it cost a third of the `.produk` throughput).
 */
export const pgDedupe = (sql: Sql, standIn?: InboundDedupe, maxBatch = 500): InboundDedupe & { sweep(): Promise<number> } => {
  const decide = grouped<string, boolean>(async (ids) => {
    const rows = await sql.query<{ message_id: string }>('INSERT INTO inbound_messages (message_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING message_id', [ids]);
    const fresh = new Set(rows.map((r) => r.message_id));
    // An id twice in one batch was inserted once: its first waiter has it.
    return ids.map((id) => fresh.delete(id));
  }, maxBatch);

  return {
    async firstSeen(messageId) {
      try {
        return await decide(messageId);
      } catch (err) {
        if (!standIn) throw err;
        return standIn.firstSeen(messageId);
      }
    },
    async sweep() {
      // Meta retries an unanswered webhook for up to seven days: an id is remembered for eight.
      const rows = await sql.query(`DELETE FROM inbound_messages WHERE seen_at < now() - interval '8 days' RETURNING 1`);
      return rows.length;
    },
  };
};
