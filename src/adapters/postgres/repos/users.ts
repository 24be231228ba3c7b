import type { UserRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import { toUser } from './rows.js';

export const usersRepo = (sql: Sql): UserRepo => ({
  async upsert(waId, name) {
    const rows = await sql.query(
      `INSERT INTO users (wa_id, name) VALUES ($1, $2)
       ON CONFLICT (wa_id) DO UPDATE SET name = CASE WHEN EXCLUDED.name = '' THEN users.name ELSE EXCLUDED.name END
       RETURNING *`,
      [waId, name.slice(0, 100)],
    );
    return toUser(rows[0]!);
  },
  async find(waId) {
    const rows = await sql.query('SELECT * FROM users WHERE wa_id = $1', [waId]);
    return rows[0] ? toUser(rows[0]) : null;
  },
  async lock(userId) {
    const rows = await sql.query('SELECT * FROM users WHERE id = $1 FOR UPDATE', [userId]);
    return toUser(rows[0]!);
  },
});
