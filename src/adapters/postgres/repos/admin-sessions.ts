import type { AdminSessionRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';

export const adminSessionsRepo = (sql: Sql): AdminSessionRepo => ({
  async start(sessionId, expiresAt) {
    // Expired rows go when a new session starts: the table stays as small as the live sessions.
    await sql.query('DELETE FROM admin_sessions WHERE expires_at < now()');
    await sql.query('INSERT INTO admin_sessions (id, expires_at) VALUES ($1, $2)', [sessionId, expiresAt]);
  },
  async alive(sessionId) {
    return (await sql.query('SELECT 1 FROM admin_sessions WHERE id = $1 AND expires_at > now()', [sessionId])).length === 1;
  },
  async end(sessionId) {
    await sql.query('DELETE FROM admin_sessions WHERE id = $1', [sessionId]);
  },
});
