import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { connectPg, openPglite } from '../adapters/postgres/db.js';
import { migrate } from '../adapters/postgres/migrate.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
const config = loadConfig();
const db = config.databaseUrl ? connectPg(config.databaseUrl, { max: 1 }) : await openPglite(join(config.dataDir, 'pglite'));
try {
  const applied = await migrate(db);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
} catch (err) {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
