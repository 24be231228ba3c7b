import { CACHE } from '../../../app/cache-aside.js';
import { cutAt } from '../../../domain/text.js';
import type { User, UserRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import { grouped } from '../grouped.js';
import type { ReportChange } from '../changes.js';
import { toUser } from './rows.js';

/**
 * `group`: outside a transaction (the store's autocommit repos), the lookups of buyers that
 * arrive together go as one statement (grouped.ts): a flash sale's first messages are thousands
 * of buyers read at once. Inside a transaction each goes alone, on the transaction's connection.
 * So do the last-seen writes of known buyers (touch_seen, migration 038: it never waits for a
 * row a purchase holds); a new buyer's row is inserted alone (a many-row insert could deadlock
 * with a group of purchases inserting the same new buyers: measured as a 1 s stall).
 */
export const usersRepo = (sql: Sql, changed: ReportChange, group = false): UserRepo => {
  const findOne = async (waId: string) => {
    const rows = await sql.query('SELECT * FROM users WHERE wa_id = $1', [waId]);
    return rows[0] ? toUser(rows[0]) : null;
  };
  const findMany = grouped<string, User | null>(async (waIds) => {
    const rows = await sql.query('SELECT * FROM users WHERE wa_id = ANY($1::text[])', [waIds]);
    const found = new Map(rows.map((r) => [String(r.wa_id), toUser(r)]));
    return waIds.map((w) => found.get(w) ?? null);
  });
  const touchOne = async (seen: { waId: string; name: string }) => {
    // Everyone who writes becomes a user: a buyer to be, with a name to greet.
    await sql.query(
      `INSERT INTO users (wa_id, name, last_seen_at) VALUES ($1, $2, now())
       ON CONFLICT (wa_id) DO UPDATE SET last_seen_at = now()`,
      [seen.waId, cutAt(seen.name, 100)],
    );
  };
  const touchMany = grouped<{ waId: string; name: string }, void>(async (seen) => {
    const names = new Map(seen.map((x) => [x.waId, x.name]));
    const fresh = await sql.query<{ touch_seen: string }>('SELECT touch_seen FROM touch_seen($1::text[])', [[...names.keys()]]);
    await Promise.all(fresh.map((r) => touchOne({ waId: r.touch_seen, name: names.get(r.touch_seen) ?? '' })));
    return seen.map(() => undefined);
  });
  return {
    async upsert(waId, name) {
      const rows = await sql.query(
        `INSERT INTO users (wa_id, name) VALUES ($1, $2)
         ON CONFLICT (wa_id) DO UPDATE SET name = CASE WHEN EXCLUDED.name = '' THEN users.name ELSE EXCLUDED.name END
         RETURNING *`,
        [waId, cutAt(name, 100)],
      );
      return toUser(rows[0]!);
    },
    find: (waId) => (group ? findMany(waId) : findOne(waId)),
    async lock(userId) {
      const rows = await sql.query('SELECT * FROM users WHERE id = $1 FOR UPDATE', [userId]);
      return toUser(rows[0]!);
    },
    async setRole(waId, role) {
      await sql.query(`INSERT INTO users (wa_id, role) VALUES ($1, $2) ON CONFLICT (wa_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()`, [waId, role]);
      changed(CACHE.profile.key(waId));
    },
    async hold(userId, reason) {
      const rows = await sql.query<{ wa_id: string }>(
        `UPDATE users SET held_since = coalesce(held_since, now()), held_reason = $2, updated_at = now() WHERE id = $1 RETURNING wa_id`,
        [userId, reason],
      );
      if (rows[0]) changed(CACHE.profile.key(rows[0].wa_id));
    },
    async release(waId) {
      const rows = await sql.query(`UPDATE users SET held_since = NULL, held_reason = NULL, updated_at = now() WHERE wa_id = $1 AND held_since IS NOT NULL RETURNING id`, [waId]);
      changed(CACHE.profile.key(waId));
      return rows.length === 1;
    },
    async setBlocked(waId, blocked) {
      await sql.query(
        `INSERT INTO users (wa_id, blocked_at) VALUES ($1, CASE WHEN $2 THEN now() END)
         ON CONFLICT (wa_id) DO UPDATE SET blocked_at = CASE WHEN $2 THEN coalesce(users.blocked_at, now()) END, updated_at = now()`,
        [waId, blocked],
      );
      changed(CACHE.profile.key(waId));
    },
    touchSeen: (waId, name) => (group ? touchMany({ waId, name }) : touchOne({ waId, name })),
    async seenWithin(hours) {
      const rows = await sql.query<{ wa_id: string }>(
        `SELECT wa_id FROM users WHERE last_seen_at > now() - make_interval(hours => $1) AND blocked_at IS NULL ORDER BY id`,
        [hours],
      );
      return rows.map((r) => r.wa_id);
    },
  };
};
