import { chmodSync, existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The store's files (DATA_DIR: the embedded database, its write-ahead log, the lock file with
 * the control key; BACKUP_DIR: whole copies of the store) are the owner's only. New ones are
 * created so by the process's umask (077, set at start); this tightens what was there before
 * (a folder made by Docker, systemd or `mkdir`, files written under a looser umask): every
 * folder 0700, every file stripped of group and other bits. Symbolic links are not followed.
 * Returns how many modes it changed.
 */
export function ownerOnly(dir: string): number {
  if (!existsSync(dir)) return 0;
  let changed = 0;
  const walk = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    const mode = st.mode & 0o777;
    const want = st.isDirectory() ? 0o700 : mode & 0o700;
    if (mode !== want) {
      chmodSync(path, want);
      changed++;
    }
    if (st.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return changed;
}

/** Called first thing by the bot and the CLI: whatever kedai creates from now on is the owner's only. */
export function ownerOnlyFromNowOn(): void {
  process.umask(0o077);
}
