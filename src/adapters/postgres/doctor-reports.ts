import { announceChanges } from './changes.js';
import type { Database } from './db.js';

/*
 * The doctor's questions to the running kedai, through the store both use: a notice on
 * kedai_changes (`doctor:<request id>`), the bot's report in doctor_reports.
 */

export const DOCTOR_NOTICE = 'doctor:';

/** Whether a kedai process listens on this database (its listener's session is there). */
export async function botListens(db: Database): Promise<boolean> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN kedai_changes%' AND pid <> pg_backend_pid()`,
  );
  return (row?.n ?? 0) > 0;
}

export async function askRunningBot(db: Database, requestId: string): Promise<void> {
  await announceChanges(db, [`${DOCTOR_NOTICE}${requestId}`]);
}

export async function storeDoctorReport(db: Database, requestId: string, pid: number, checks: unknown): Promise<void> {
  await db.query(`INSERT INTO doctor_reports (request_id, pid, checks) VALUES ($1, $2, $3::jsonb) ON CONFLICT (request_id) DO NOTHING`, [requestId, pid, JSON.stringify(checks)]);
  // Old reports go: only the last day's are worth reading.
  await db.query(`DELETE FROM doctor_reports WHERE at < now() - interval '1 day'`);
}

/** The bot's report, waited for up to `ms`; null when none came. */
export async function doctorReport<T>(db: Database, requestId: string, ms: number): Promise<{ pid: number; checks: T } | null> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [row] = await db.query<{ pid: number; checks: T }>(`SELECT pid, checks FROM doctor_reports WHERE request_id = $1`, [requestId]);
    if (row) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}
