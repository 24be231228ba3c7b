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
const DEDUPE_INSERT =
  'INSERT INTO inbound_messages (message_id) SELECT id FROM unnest($1::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING RETURNING message_id';

export const pgDedupe = (sql: Sql, standIn?: InboundDedupe, maxBatch = 500): InboundDedupe & { sweep(): Promise<number> } => {
  const decide = grouped<string, boolean>(async (ids) => {
    // In one order (the ids sorted): two processes given the same ids in different orders would
    // otherwise each wait for the other's uncommitted insert of an id the other holds, a deadlock.
    const rows = await sql.query<{ message_id: string }>(DEDUPE_INSERT, [ids]);
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
