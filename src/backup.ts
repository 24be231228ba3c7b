import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Database } from './adapters/postgres/db.js';
import type { Log } from './app/deps.js';
import type { Config } from './config.js';
import { createPoller, type Poller } from './jobs/poller.js';

/** libpq's environment for a connection URL (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE). */
export function pgEnv(databaseUrl: string): Record<string, string> {
  const u = new URL(databaseUrl);
  const env: Record<string, string> = {};
  const set = (k: string, v: string | null | undefined) => v && (env[k] = decodeURIComponent(v));
  set('PGHOST', u.searchParams.get('host') ?? u.hostname.replace(/^\[|\]$/g, ''));
  set('PGPORT', u.port);
  set('PGUSER', u.username);
  set('PGPASSWORD', u.password);
  set('PGDATABASE', u.pathname.slice(1));
  set('PGSSLMODE', u.searchParams.get('sslmode'));
  return env;
}

const PATTERN = /^kedai-backup-.*\.(sql|tar\.gz)$/;

/** `kedai-backup-<time>.sql|tar.gz` in `dir`: names sort by time. */
export const backupFile = (dir: string, kind: 'sql' | 'tar.gz', now = new Date()): string =>
  join(dir, `kedai-backup-${now.toISOString().replace(/[:.]/g, '-')}.${kind}`);

/**
 * Writes one backup to `target`, readable by its owner only from the first byte
 * (it holds every stock item and delivered good): a pg_dump of `databaseUrl`, with
 * the credentials in the environment (never argv, which every user can read), or
 * the bytes `copy` gives (the embedded store's data folder).
 */
export async function writeBackup(target: string, source: { databaseUrl: string } | { copy: () => Promise<Buffer> }): Promise<void> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFile(target, '', { mode: 0o600 });
  await chmod(target, 0o600);
  if ('copy' in source) {
    await writeFile(target, await source.copy(), { mode: 0o600 });
    return;
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    // eslint-disable-next-line no-restricted-properties -- handing the environment on to the child, not reading configuration
    const child = spawn('pg_dump', ['--no-owner', '--file', target], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...pgEnv(source.databaseUrl) } });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error('pg_dump failed (is it installed and the same major version as the server?)');
}

/** Deletes all but the newest `keep` backups in `dir`; returns what it deleted. */
export async function rotateBackups(dir: string, keep: number): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => PATTERN.test(f)).sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) await unlink(join(dir, f));
  return old;
}

/** Scheduled backups (BACKUP_INTERVAL_HOURS): the embedded folder as copied by this process, or a pg_dump; the newest BACKUP_KEEP kept. null when off. */
export function createBackupPoller(config: Readonly<Config>, rawDb: Database, log: Log): Poller | null {
  if (!(config.backupIntervalHours > 0 && (config.databaseUrl || rawDb.dump))) return null;
  return createPoller(
    'backup',
    async () => {
      const file = backupFile(config.backupDir, config.databaseUrl ? 'sql' : 'tar.gz');
      await writeBackup(file, config.databaseUrl ? { databaseUrl: config.databaseUrl } : { copy: async () => Buffer.from(await (await rawDb.dump!()).arrayBuffer()) });
      const removed = await rotateBackups(config.backupDir, config.backupKeep);
      log.info({ file, removed: removed.length }, 'backup written');
      return { full: false };
    },
    log,
    config.backupIntervalHours * 3_600_000,
  );
}
