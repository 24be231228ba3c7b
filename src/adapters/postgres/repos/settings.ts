import { CACHE } from '../../../app/cache-aside.js';
import type { SettingsRepo } from '../../../app/ports.js';
import type { Sql } from '../db.js';
import type { ReportChange } from '../changes.js';

export const settingsRepo = (sql: Sql, changed: ReportChange): SettingsRepo => ({
  async all() {
    const rows = await sql.query<{ key: string; value: string }>('SELECT key, value FROM settings');
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  },
  async set(key, value) {
    if (value === null) await sql.query('DELETE FROM settings WHERE key = $1', [key]);
    else {
      await sql.query(
        `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [key, value],
      );
    }
    changed(CACHE.settings.key);
  },
});
