import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgError, type Database } from './db.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Any fixed number works; it only has to be the same in every kedai process.
const MIGRATION_LOCK = 4_815_162_342;

/**
 * Applies the `.sql` files of `dir` in name order, each once, recorded in
 * `schema_migrations`. All pending files run in one transaction behind an
 * advisory lock, so two processes starting together apply each file exactly
 * once, and a failing file leaves the schema as it was.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return db.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await sql.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await sql.exec(await readFile(join(dir, file), 'utf8'));
      await sql.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/** Names of migration files not yet applied (for readiness checks). */
export async function pendingMigrations(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations').catch((err: unknown) => {
    if (pgError(err).code === '42P01') return []; // no table yet: nothing applied
    throw err;
  });
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}
