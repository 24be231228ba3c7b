import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds a data folder: written into `DATA_DIR/kedai.lock`. */
export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for the holder. */
  started: string | null;
  /** `bot` (serving on `port`) or `cli`. */
  role: 'bot' | 'cli';
  port: number | null;
  since: string;
}

export class DataDirBusy extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.role === 'bot' ? `the running kedai (process ${holder.pid}, port ${holder.port})` : `a kedai command (process ${holder.pid})`;
    super(
      `${dataDir} is in use by ${who} since ${holder.since}. The embedded store is one kedai process per folder. ` +
        (holder.role === 'bot'
          ? `The CLI's product, stock, balance, orders, verify and backup commands work on its store while it runs; for this one, stop it first (kill -TERM ${holder.pid}).`
          : 'Wait for it to finish.'),
    );
    this.name = 'DataDirBusy';
  }
}

/** Fields of /proc/<pid>/stat: when the process started (22) and its state (3). null where there is no /proc. */
function procStat(pid: number): { started: string | null; state: string | null } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { started: fields[19] ?? null, state: fields[0] ?? null };
  } catch {
    return null;
  }
}

function alive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as { code?: string }).code === 'ESRCH') return false;
  }
  // The pid answers: the holder only if it is the same process (a restarted container reuses small pids),
  // and not a zombie (killed, not yet reaped by its parent: it holds nothing any more).
  const now = procStat(holder.pid);
  if (now?.state === 'Z' || now?.state === 'X') return false;
  return holder.started === null || now?.started == null || now.started === holder.started;
}

const read = (file: string): LockHolder | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    // Half-written by a process killed mid-write: nobody holds it.
    return { pid: -1, started: null, role: 'cli', port: null, since: '' };
  }
};

/** The live process holding `dataDir`, or null when none does (no lock, or one left by a dead process). */
export function heldBy(dataDir: string): LockHolder | null {
  const holder = read(join(dataDir, 'kedai.lock'));
  return holder && holder.pid > 0 && alive(holder) ? holder : null;
}

/**
 * Takes `DATA_DIR` for this process before its store is opened, or throws
 * DataDirBusy naming the holder. A lock left by a process that died (SIGKILL, an
 * OOM kill) is recognised by its process id and taken over at once. Returns the
 * release function (also run when the process exits normally).
 */
export function lockDataDir(dataDir: string, role: LockHolder['role'], port: number | null = null): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'kedai.lock');
  const me: LockHolder = { pid: process.pid, started: procStat(process.pid)?.started ?? null, role, port, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (read(file)?.pid === process.pid) unlinkSync(file);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    const holder = read(file);
    if (holder && holder.pid > 0 && alive(holder)) throw new DataDirBusy(dataDir, holder);
    // Dead: move its lock aside (only one of two racing starters can), and check that what moved was that dead lock.
    const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = read(aside);
    if (moved && holder && moved.pid !== holder.pid) {
      // A live starter's fresh lock was moved by mistake: put it back and look again.
      try {
        renameSync(aside, file);
      } catch {
        /* it will be seen as busy or stale on the next look */
      }
      continue;
    }
    unlinkSync(aside);
  }
  const holder = read(file);
  throw holder ? new DataDirBusy(dataDir, holder) : new Error(`could not lock ${dataDir}`);
}
