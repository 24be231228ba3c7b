import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { chmod, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Database } from './adapters/postgres/db.js';
import { dumpStore } from './adapters/postgres/dump.js';
import type { Log } from './app/deps.js';
import type { Config } from './config.js';
import { createPoller, type Poller } from './jobs/poller.js';

const PATTERN = /^kedai-backup-.*\.(sql|tar\.gz|jsonl\.gz)$/;

/** `kedai-backup-<time>.jsonl.gz` in `dir`: names sort by time. */
export const backupFile = (dir: string, now = new Date()): string =>
  join(dir, `kedai-backup-${now.toISOString().replace(/[:.]/g, '-')}.jsonl.gz`);

/**
 * Writes one backup to `target`, readable by its owner only from the first byte (it holds
 * every stock item and delivered good): kedai's own format (one snapshot as gzipped JSON
 * lines, `dumpStore`) of a database: the embedded server's, even while the bot runs, or DATABASE_URL's.
 */
export async function writeBackup(target: string, source: { db: Database }): Promise<void> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFile(target, '', { mode: 0o600 });
  await chmod(target, 0o600);
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(target, { mode: 0o600 }));
  try {
    await dumpStore(source.db, async (line) => {
      if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
    });
    gzip.end();
  } catch (err) {
    gzip.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  await done;
}

/** The lines of a backup in kedai's format (gzipped JSON lines). */
export function backupLines(file: string): AsyncIterator<string> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  return lines[Symbol.asyncIterator]();
}

/** Deletes all but the newest `keep` backups in `dir`; returns what it deleted. */
export async function rotateBackups(dir: string, keep: number): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => PATTERN.test(f)).sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) await unlink(join(dir, f));
  return old;
}

/** Scheduled backups (BACKUP_INTERVAL_HOURS) in kedai's format, of either store; the newest BACKUP_KEEP kept. null when off. */
export function createBackupPoller(config: Readonly<Config>, rawDb: Database, log: Log): Poller | null {
  if (!(config.backupIntervalHours > 0)) return null;
  return createPoller(
    'backup',
    async () => {
      const file = backupFile(config.backupDir);
      await writeBackup(file, { db: rawDb });
      const removed = await rotateBackups(config.backupDir, config.backupKeep);
      log.info({ file, removed: removed.length }, 'backup written');
      return { full: false };
    },
    log,
    config.backupIntervalHours * 3_600_000,
  );
}
