import type { InboundDedupe } from '../../../app/ports.js';
import type { Sql } from '../db.js';

/**
 * The one authority on inbound message ids, shared by every process. Redis used
 * to decide with the database only as its fallback, but a process that saw a
 * Redis timeout (a busy event loop is enough) then asked a *different* store
 * than its neighbour, and both answered the same message. Now the database
 * decides; `standIn` (Redis) answers only while the database cannot.
 */
export const pgDedupe = (sql: Sql, standIn?: InboundDedupe): InboundDedupe & { sweep(): Promise<number> } => ({
  async firstSeen(messageId) {
    let rows: unknown[];
    try {
      rows = await sql.query('INSERT INTO inbound_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1 AS first', [messageId]);
    } catch (err) {
      if (!standIn) throw err;
      return standIn.firstSeen(messageId);
    }
    return rows.length === 1;
  },
  async sweep() {
    const rows = await sql.query(`DELETE FROM inbound_messages WHERE seen_at < now() - interval '2 days' RETURNING 1`);
    return rows.length;
  },
});
