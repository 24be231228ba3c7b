import type { InboundDedupe } from '../../../app/ports.js';
import type { Sql } from '../db.js';

/** The database's memory of inbound message ids (used without Redis, or while it is down). */
export const pgDedupe = (sql: Sql): InboundDedupe & { sweep(): Promise<number> } => ({
  async firstSeen(messageId) {
    const rows = await sql.query('INSERT INTO inbound_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1 AS first', [messageId]);
    return rows.length === 1;
  },
  async sweep() {
    const rows = await sql.query(`DELETE FROM inbound_messages WHERE seen_at < now() - interval '2 days' RETURNING 1`);
    return rows.length;
  },
});
