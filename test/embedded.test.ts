import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirBusy, lockDataDir } from '../src/adapters/postgres/data-lock.js';
import { openPglite, type Database } from '../src/adapters/postgres/db.js';
import { withEmbedded } from '../src/cli/host.js';
import { loadConfig } from '../src/config.js';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { ADMIN, cliIn, postgres } from './helpers.js';
import { spawnKedai, waitFor, type KedaiProcess } from './processes.js';

const START_ARGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);

/** Through the web chat API of a real kedai process. */
const send = (k: KedaiProcess, from: string, text: string) =>
  fetch(`${k.url}/chat/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
const replies = async (k: KedaiProcess, number: string) =>
  ((await (await fetch(`${k.url}/chat/api/messages?number=${number}`)).json()) as { messages: { direction: string; text: string }[] }).messages
    .filter((m) => m.direction === 'out')
    .map((m) => m.text);
const lastReply = async (k: KedaiProcess, number: string) => (await replies(k, number)).at(-1) ?? '';

/** The embedded store in `dataDir` while no kedai runs: its server started under the folder's lock (as the CLI does), and stopped after. */
const withStore = <T>(dataDir: string, fn: (db: Database) => Promise<T>): Promise<T> => withEmbedded(loadConfig({ DATA_DIR: dataDir }), fn);

/** `npm start` on `env` that is expected to refuse: its exit code and what it wrote to stderr. */
const npmStartThatEnds = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, START_ARGS, {
      env: { ...process.env, ...env, PORT: '0', ADMIN_NUMBERS: ADMIN, LOG_LEVEL: 'warn', REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });

describe('one process per data folder', () => {
  it('refuses a second holder, naming it, and frees the folder on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kedai-lock-'));
    const release = lockDataDir(dir, 'bot', 3210);
    let busy: unknown;
    try {
      lockDataDir(dir, 'cli');
    } catch (err) {
      busy = err;
    }
    expect(busy).toBeInstanceOf(DataDirBusy);
    expect(String((busy as Error).message)).toMatch(new RegExp(`process ${process.pid}, port 3210`));
    release();
    lockDataDir(dir, 'cli')();
  });

  it('takes over at once a lock left by a process that died, a zombie, or a pid now used by another process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kedai-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(join(dir, 'kedai.lock'), JSON.stringify({ pid: dead, started: null, role: 'bot', port: 3000, since: 'then' }));
    lockDataDir(dir, 'bot', 3001)();
    // A live pid that is not the holder: the start time differs (a restarted container reuses pids).
    writeFileSync(join(dir, 'kedai.lock'), JSON.stringify({ pid: process.pid, started: '1', role: 'bot', port: 3000, since: 'then' }));
    lockDataDir(dir, 'bot', 3001)();
    // Half-written by a process killed mid-write.
    writeFileSync(join(dir, 'kedai.lock'), '{"pid":');
    lockDataDir(dir, 'bot', 3001)();
    // A holder killed but not yet reaped by its parent (a zombie, for a moment under some supervisors) holds nothing.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = await new Promise<number>((resolve) => parent.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]![0]).toBe('Z');
    writeFileSync(join(dir, 'kedai.lock'), JSON.stringify({ pid: zombie, started: null, role: 'bot', port: 3000, since: 'then' }));
    lockDataDir(dir, 'bot', 3001)();
    parent.kill();
  });
});

describe('the embedded store under a real process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kedai-embedded-'));
  // Embedded: no DATABASE_URL, whatever the suite runs with.
  const env = { DATABASE_URL: '', DATA_DIR: dataDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' };
  let kedai: KedaiProcess | null = null;
  afterAll(async () => kedai?.stop());

  it('refuses a second npm start and a CLI command at once, naming the holder; the first keeps serving', async () => {
    kedai = await spawnKedai(env);
    const port = new URL(kedai.url).port;
    const second = await npmStartThatEnds(env);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`process ${kedai.child.pid}, port ${port}`);
    // A command that would open the files itself (a restore) is refused, naming the holder.
    const refused = await cliIn(env, ['restore', join(dataDir, 'nothing.tar.gz')]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`process ${kedai.child.pid}, port ${port}`);
    // Unharmed: it still answers and writes.
    await send(kedai, ADMIN, '.addsaldo 6281355500001 7000');
    await waitFor('the credit', async () => (await replies(kedai!, ADMIN)).some((t) => t.includes('Saldo sekarang Rp7.000')));
  });

  it('the quick start sells a top-up end to end through the built-in Digiflazz sandbox: the SN at once, or after a pending one settles', async () => {
    kedai ??= await spawnKedai(env);
    const k = kedai;
    const buyer = '6281355500009';
    await send(k, ADMIN, `.addsaldo ${buyer} 50000`);
    await waitFor('the credit', async () => (await replies(k, ADMIN)).some((t) => t.includes(buyer)));
    await send(k, buyer, '.produk Top-up');
    await waitFor('the top-ups in the catalogue', async () => /PULSA10 — .* — top-up/.test(await lastReply(k, buyer)), 15_000);
    await send(k, buyer, '.buy PULSA10 087800001230');
    await waitFor('the SN', async () => (await replies(k, buyer)).some((t) => t.includes('SN: ') && t.includes('087800001230')), 15_000);
    await send(k, buyer, '.buy DIAMOND86 12345678(1233)');
    await waitFor('processing', async () => (await replies(k, buyer)).some((t) => t.includes('sedang diproses pemasok')), 15_000);
    await waitFor('the SN after the callback', async () => (await replies(k, buyer)).filter((t) => t.includes('SN: ')).length === 2, 15_000);
  });

  it('the quick start shows a game ID checked through the built-in VIP-Reseller sandbox and a postpaid bill, each paid with .ya', async () => {
    kedai ??= await spawnKedai(env);
    const k = kedai;
    const buyer = '6281355500019';
    await send(k, ADMIN, `.addsaldo ${buyer} 200000`);
    await waitFor('the credit', async () => (await replies(k, ADMIN)).some((t) => t.includes(buyer)));
    await send(k, buyer, '.buy MLCEK86 12345678(2468)');
    await waitFor('the player shown', async () => (await lastReply(k, buyer)).includes('ID 12345678 (2468) = *Player5678_2468*'), 15_000);
    await send(k, buyer, '.ya');
    await waitFor('the game top-up delivered', async () => (await replies(k, buyer)).some((t) => t.includes('SN: ') && t.includes('12345678 (2468)')), 15_000);
    await send(k, buyer, '.tagihan PLNPASCA 530000000001');
    await waitFor('the bill shown', async () => /^Total: Rp/m.test(await lastReply(k, buyer)), 15_000);
    await send(k, buyer, '.ya');
    await waitFor('the bill paid', async () => (await replies(k, buyer)).some((t) => t.includes('lunas')), 15_000);
  });

  it("runs the CLI's commands on the running bot's store directly, and the bot sees each change at once: balance, product, stock import, export, verify", async () => {
    kedai ??= await spawnKedai(env);
    const k = kedai;
    const buyer = '6281355500002';
    // The buyer has asked once: the balance is cached in the bot; the CLI's credit must show at once all the same.
    await send(k, buyer, '.saldo');
    await waitFor('the first balance', async () => (await lastReply(k, buyer)).includes('Rp0'));
    // The catalogue too is cached in the bot (5 minutes) before the CLI adds a product.
    await send(k, buyer, '.produk');
    await waitFor('the catalogue', async () => (await lastReply(k, buyer)).includes('NETFLIX1'));
    const credit = await cliIn(env, ['balance', 'add', buyer, '5000', 'refund from the terminal']);
    expect(credit).toMatchObject({ code: 0, err: '' });
    expect(credit.out).toContain('is now Rp5.000');
    await send(k, buyer, '.saldo');
    await waitFor('the new balance', async () => (await lastReply(k, buyer)).includes('Rp5.000'), 3_000);

    expect((await cliIn(env, ['product', 'add', 'LIVE1', 'Live key', '2000'])).code).toBe(0);
    // More than the 16 MB the bot used to relay: read here, written by this process into the bot's server.
    const keys = join(dataDir, '..', `${dataDir.split('/').at(-1)}-keys.txt`);
    writeFileSync(keys, Array.from({ length: 4_500 }, (_, i) => `LIVE-KEY-${i}-${'X'.repeat(3_980)}`).join('\n'));
    const imported = await cliIn(env, ['stock', 'import', 'LIVE1', keys]);
    expect(imported.out).toContain('imported 4500 items into LIVE1; 4500 available');
    await send(k, buyer, '.produk');
    await waitFor('the new product in the cached catalogue', async () => (await lastReply(k, buyer)).includes('LIVE1'), 3_000);
    const listed = (await cliIn(env, ['product', 'list'])).out;
    expect(listed).toMatch(/LIVE1\tLive key\tRp2\.000\t4500 available/);
    // A top-up has no stock to count: its supplier SKU instead.
    expect(listed).toMatch(/PULSA10\t[^\n]*\ttop-up \S+\n/);
    await send(k, buyer, '.buy LIVE1');
    await waitFor('the goods', async () => (await replies(k, buyer)).some((t) => t.includes('LIVE-KEY-')));
    const exported = await cliIn(env, ['orders', 'export']);
    expect(exported.out.split('\n').filter((l) => l.includes(buyer) && l.includes('LIVE1'))).toHaveLength(1);
    expect((await cliIn(env, ['verify'])).out).toContain('all invariants hold');
    // Bad input is a clear line and exit 1, and changes nothing.
    const bad = await cliIn(env, ['balance', 'add', buyer, '-99000', 'too much']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^kedai: /);
    expect((await cliIn(env, ['stock', 'import', 'LIVE1', join(dataDir, 'missing.txt')])).err).toContain('cannot read');
    await send(k, buyer, '.saldo');
    await waitFor('the balance after the refusal', async () => (await lastReply(k, buyer)).includes('Rp3.000'));

    // The bot has no command route any more: nothing on its port carries out a command, whatever the spelling.
    const attack = JSON.stringify({ argv: ['balance', 'add', buyer, '99000000', 'robbery'], files: {} });
    for (const path of ['/internal/cli', '/%69nternal/cli', '//internal/cli', '/internal/backup']) {
      const res = await fetch(`${k.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: attack });
      expect(res.status).toBe(404);
    }
    // The lock file names the holder and holds no key.
    expect(Object.keys(JSON.parse(readFileSync(join(dataDir, 'kedai.lock'), 'utf8')) as object).sort()).toEqual(['pid', 'port', 'role', 'since', 'started']);
  }, 120_000);

  it('a CLI command while the bot\'s server is being started again waits for it, then works', async () => {
    kedai ??= await spawnKedai(env);
    const k = kedai;
    const buyer = '6281355500003';
    await send(k, buyer, '.saldo');
    await waitFor('the first balance', async () => (await lastReply(k, buyer)).includes('Rp0'));
    const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    const credit = await cliIn(env, ['balance', 'add', buyer, '4000', 'during a restart']);
    expect(credit).toMatchObject({ code: 0, err: '' });
    // The bot's listener came back with its server: it dropped what it had cached, so the credit shows.
    await waitFor('the credit in the bot', async () => {
      await send(k, buyer, '.saldo');
      await new Promise((r) => setTimeout(r, 300));
      return (await lastReply(k, buyer)).includes('Rp4.000');
    }, 30_000);
  }, 60_000);

  it('its PostgreSQL server killed (SIGKILL) ten times: kedai brings it back each time and answers again, every acknowledged credit there', async () => {
    kedai ??= await spawnKedai(env);
    const k = kedai;
    const postmaster = () => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    for (let round = 0; round < 10; round++) {
      const buyer = `628135770${String(round).padStart(4, '0')}`;
      await send(k, ADMIN, `.addsaldo ${buyer} ${1000 + round}`);
      await waitFor('the credit', async () => (await replies(k, ADMIN)).some((t) => t.startsWith(`Saldo ${buyer} `)));
      const pid = postmaster();
      process.kill(pid, 'SIGKILL');
      await waitFor('a new server', async () => {
        try {
          return postmaster() !== pid;
        } catch {
          return false;
        }
      }, 30_000);
      await waitFor('ready again', async () => (await fetch(`${k.url}/readyz`).catch(() => null))?.status === 200, 30_000);
      // A buyer who wrote in the second the server was away is told to try again, and does.
      let asked = 0;
      await waitFor('the answer after the restart', async () => {
        if ((await lastReply(k, buyer)).includes(`Rp${(1000 + round).toLocaleString('id-ID')}`)) return true;
        if (Date.now() - asked > 1_000) [asked] = [Date.now(), await send(k, buyer, '.saldo')];
        return false;
      }, 30_000);
    }
  }, 240_000);

  it('survives ten SIGKILLs under write load: every restart opens, every acknowledged credit is there, the invariants hold', async () => {
    const acknowledged = new Map<string, number>();
    for (let round = 0; round < 10; round++) {
      if (!kedai) kedai = await spawnKedai(env);
      const k = kedai;
      // Credits in flight while the process is killed; only the ones replied to count as acknowledged.
      const buyers = Array.from({ length: 6 }, (_, i) => `62813566${String(round).padStart(2, '0')}${String(i).padStart(3, '0')}`);
      await Promise.all(buyers.map((b) => send(k, ADMIN, `.addsaldo ${b} ${1000 * (round + 1)}`)));
      await new Promise((r) => setTimeout(r, 30 + round * 15));
      for (const b of buyers) {
        if ((await replies(k, ADMIN)).some((t) => t.startsWith(`Saldo ${b} `))) acknowledged.set(b, 1000 * (round + 1));
      }
      void Promise.all(buyers.map((b) => send(k, ADMIN, `.addsaldo ${b} 1`).catch(() => undefined)));
      await k.stop('SIGKILL');
      kedai = null;
    }
    expect(acknowledged.size).toBeGreaterThan(10);
    kedai = await spawnKedai(env);
    for (const [buyer, amount] of acknowledged) {
      await send(kedai, buyer, '.saldo');
      await waitFor(`balance of ${buyer}`, async () => (await replies(kedai!, buyer)).length > 0);
      const balance = Number(/Rp([\d.]+)/.exec((await replies(kedai, buyer))[0]!)![1]!.replace(/\./g, ''));
      expect(balance === amount || balance === amount + 1).toBe(true);
    }
    await kedai.stop();
    kedai = null;
    expect(await withStore(dataDir, (db) => verifyInvariants(db))).toEqual([]);
  }, 240_000);
});

describe('backups of the running embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kedai-backup-live-'));
  const env = { DATABASE_URL: '', DATA_DIR: dataDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' };
  let kedai: KedaiProcess | null = null;
  afterAll(async () => kedai?.stop());

  const cli = (args: string[]) => cliIn(env, args);

  it('backs up while the bot runs, restores into an empty folder, and every balance, order and item is back', async () => {
    const buyer = '6281377700001';
    kedai = await spawnKedai(env);
    const k = kedai;
    await send(k, ADMIN, `.addsaldo ${buyer} 100000`);
    await waitFor('credit', async () => (await lastReply(k, ADMIN)).includes('Saldo sekarang Rp100.000'));
    await send(k, buyer, '.buy NETFLIX1');
    await waitFor('goods', async () => (await lastReply(k, buyer)).includes('NETFLIX1') || (await lastReply(k, buyer)).includes('Netflix'));
    const goods = await lastReply(k, buyer);
    const file = join(dataDir, '..', `${dataDir.split('/').at(-1)}.jsonl.gz`);
    const backup = await cli(['backup', file]);
    expect(backup.code).toBe(0);
    expect(backup.out).toContain(`written ${file}`);
    await kedai.stop();
    kedai = null;
    const { renameSync } = await import('node:fs');
    renameSync(join(dataDir, 'postgres'), join(dataDir, 'postgres.old'));
    const restored = await cli(['restore', file]);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/restored .*: [1-9]\d* rows in \d+ tables, each checked against the backup/);
    // Restoring over a store is refused.
    expect((await cli(['restore', file])).code).toBe(1);
    kedai = await spawnKedai(env);
    const again = kedai;
    await send(again, buyer, '.saldo');
    await waitFor('balance', async () => (await lastReply(again, buyer)).includes('Rp'));
    const price = Number(/Rp([\d.]+)/.exec(goods.split('\n')[1] ?? '')?.[1]?.replace(/\./g, '') ?? NaN);
    expect(await lastReply(again, buyer)).toContain(`Rp${(100_000 - price).toLocaleString('id-ID')}`);
    await send(again, buyer, '.riwayat');
    await waitFor('history', async () => (await lastReply(again, buyer)).includes('KD-'));
  }, 120_000);
});

describe('scheduled backups', () => {
  it('writes one every BACKUP_INTERVAL_HOURS into BACKUP_DIR, owner-only, and keeps the newest BACKUP_KEEP', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-backup-sched-'));
    const backupDir = join(dataDir, 'backups');
    const { readdirSync, statSync } = await import('node:fs');
    const k = await spawnKedai({
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      WHATSAPP_TRANSPORT: 'webchat',
      MIDTRANS_SANDBOX: '',
      MIDTRANS_SERVER_KEY: '',
      BACKUP_DIR: backupDir,
      BACKUP_INTERVAL_HOURS: String(1 / 3600), // every second
      BACKUP_KEEP: '2',
    });
    let files: string[];
    try {
      // One at start, then one every second: after 3.5 s at least four were written.
      await new Promise((r) => setTimeout(r, 3_500));
    } finally {
      await k.stop();
      files = readdirSync(backupDir);
    }
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^kedai-backup-.*\.jsonl\.gz$/.test(f))).toBe(true);
    for (const f of files) expect(statSync(join(backupDir, f)).mode & 0o777).toBe(0o600);
  }, 60_000);
});

describe.runIf(Boolean(process.env.DATABASE_URL))('moving the embedded store to PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kedai-move-'));
  const env = { DATABASE_URL: '', DATA_DIR: dataDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' };
  let kedai: KedaiProcess | null = null;
  let target: Awaited<ReturnType<typeof postgres.open>> | null = null;
  afterAll(async () => {
    await kedai?.stop();
    await target?.drop();
  });
  const cli = (args: string[]) => cliIn(env, args);

  it('copies everything into an empty database, proves it, retires the old copy, and the store goes on there', async () => {
    const buyer = '6281388800001';
    kedai = await spawnKedai(env);
    const k = kedai;
    await send(k, ADMIN, `.addsaldo ${buyer} 100000`);
    await waitFor('credit', async () => (await lastReply(k, ADMIN)).includes('Saldo sekarang Rp100.000'));
    // A voucher used up by the order: copied with its use, past the point where a new use would be refused.
    await send(k, ADMIN, '.addvoucher PINDAH 10% 1');
    await waitFor('voucher', async () => (await lastReply(k, ADMIN)).includes('PINDAH'));
    await send(k, buyer, '.buy NETFLIX1 PINDAH');
    await waitFor('goods', async () => (await lastReply(k, buyer)).includes('voucher PINDAH'));
    // The goods message names sums too (the price, the balance left): wait for the answer to .saldo itself.
    await send(k, buyer, '.saldo');
    await waitFor('balance', async () => /^Saldo: Rp[\d.]+/.test(await lastReply(k, buyer)));
    const balance = /Rp[\d.]+/.exec(await lastReply(k, buyer))![0];

    target = await postgres.open();
    const url = target.url!;
    // Not while the bot sells: what it sold after the copy would be lost.
    const running = await cli(['move-to-postgres', url]);
    expect(running.code).toBe(1);
    expect(running.err).toContain(`process ${k.child.pid}`);
    await kedai.stop();
    kedai = null;

    // Refused: a target that holds data, or is not a database URL; nothing is copied, nothing retired.
    await target.db.exec('CREATE TABLE notes (body text)');
    expect((await cli(['move-to-postgres', url])).err).toContain("not kedai's (notes)");
    // The URL from standard input (never on the command line, where ps shows it to every local user): its password never printed.
    const PW = 'pw-that-must-not-leak-7731';
    const withPw = `${url}${url.includes('?') ? '&' : '?'}password=${PW}`;
    const piped = spawnSync(process.execPath, ['dist/cli/main.js', 'move-to-postgres'], { input: `${withPw}\n`, env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    expect(piped.stderr).toContain("not kedai's (notes)");
    expect(`${piped.stdout}${piped.stderr}`).not.toContain(PW);
    // On the command line it still works, with a warning that ps shows it; the password is not printed.
    const argued = await cli(['move-to-postgres', withPw]);
    expect(argued.err).toContain('visible to every user of this machine');
    expect(`${argued.out}${argued.err}`).not.toContain(PW);
    await target.db.exec('DROP TABLE notes');
    expect((await cli(['move-to-postgres', 'mysql://x@y/z'])).code).toBe(1);

    // A database prepared by `npm run migrate` (kedai's tables, all empty) is empty enough.
    await migrate(target.db);
    // From TARGET_DATABASE_URL, with the password as `?password=`: never printed, never stored.
    const moved = await cliIn({ ...env, TARGET_DATABASE_URL: withPw }, ['move-to-postgres']);
    expect(moved.err).not.toContain('kedai:');
    expect(moved.code).toBe(0);
    expect(moved.out).toContain("DATABASE_URL='postgres://");
    expect(moved.out).toContain('password=***');
    expect(`${moved.out}${moved.err}${readFileSync(join(dataDir, 'moved-to-postgres.json'), 'utf8')}`).not.toContain(PW);
    expect(moved.out).toMatch(/orders\t1\n/);
    // The same rows on the server as in the embedded store, table by table.
    await withStore(dataDir, async (source) => {
      for (const line of moved.out.split('\n').filter((l) => /^\w+\t\d+$/.test(l))) {
        const [table, rows] = line.split('\t') as [string, string];
        const [here] = await source.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`);
        const [there] = await target!.db.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`);
        expect([Number(here!.n), Number(there!.n)]).toEqual([Number(rows), Number(rows)]);
      }
    });
    expect(await verifyInvariants(target.db)).toEqual([]);
    // A second move into the now full database is refused, and changes nothing there.
    const again = await cli(['move-to-postgres', url]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds data');

    // The embedded copy is retired: npm start on it refuses, naming the move; the CLI will not write to it.
    const stale = await npmStartThatEnds(env);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('was moved to');
    expect(stale.stderr).not.toContain(PW);
    expect((await cli(['balance', 'add', buyer, '1000', 'on the stale copy'])).err).toContain('stale copy');

    // On PostgreSQL the buyer's balance and order are there, and new orders carry on (the sequences moved too).
    const logged: string[] = [];
    kedai = await spawnKedai({ ...env, DATABASE_URL: url, MIDTRANS_SANDBOX: 'true' }, { stdout: logged });
    const pgKedai = kedai;
    const asked = await send(pgKedai, buyer, '.saldo');
    expect(asked.status).toBe(202);
    // On a timeout, say what the buyer was answered (a CI run once waited 20 s here for nothing it could show).
    await waitFor('balance on PostgreSQL', async () => (await replies(pgKedai, buyer)).some((t) => t.includes(balance))).catch(async (err: unknown) => {
      throw new Error(`${String(err)}; the buyer's chat: ${JSON.stringify(await replies(pgKedai, buyer))}; expected ${balance}; its log: ${logged.join('').slice(-4_000)}`);
    });
    await send(pgKedai, buyer, '.buy NETFLIX1');
    await waitFor('a second order', async () => (await lastReply(pgKedai, buyer)).includes('NETFLIX1') || (await lastReply(pgKedai, buyer)).includes('Netflix'));
    const [orders] = await target.db.query<{ n: number; ids: number }>('SELECT count(*)::int AS n, count(DISTINCT public_id)::int AS ids FROM orders');
    expect(orders).toEqual({ n: 2, ids: 2 });
    expect(await verifyInvariants(target.db)).toEqual([]);
  }, 180_000);
});

describe('the embedded database', () => {
  it('runs PGlite with a small buffer pool (its shared buffers live in the process heap), its own start parameters kept', async () => {
    const db = await openPglite(null);
    try {
      expect(await db.query(`SELECT current_setting('shared_buffers') AS v`)).toEqual([{ v: '16MB' }]);
      expect(await db.query(`SELECT current_setting('max_worker_processes') AS v`)).toEqual([{ v: '0' }]);
    } finally {
      await db.close();
    }
  });
});

describe('demo goods only for a demo', () => {
  // An embedded store on real WhatsApp (the Cloud API) with a real Midtrans key: nothing is reached at start.
  const REAL = {
    DATABASE_URL: '',
    WHATSAPP_TRANSPORT: 'cloud',
    WHATSAPP_CLOUD_TOKEN: 'token-for-a-store-that-is-real',
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_APP_SECRET: 'app-secret-of-a-real-store',
    WHATSAPP_VERIFY_TOKEN: 'verify-token-of-a-real-store',
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9/v21.0',
    MIDTRANS_SERVER_KEY: 'SB-Mid-server-not-a-real-key',
    MIDTRANS_SANDBOX: '',
    HOST: '127.0.0.1',
  };
  const products = (dataDir: string) => withStore(dataDir, async (db) => (await db.query<{ code: string }>('SELECT code FROM products WHERE active ORDER BY code')).map((r) => r.code));

  it('a store on real WhatsApp starts empty and says how to add a product; the demo catalogue and its voucher are never seeded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-real-'));
    const out: string[] = [];
    const k = await spawnKedai({ ...REAL, DATA_DIR: dataDir }, { stdout: out });
    await waitFor('the banner', async () => out.join('').includes('kedai is running'));
    await k.stop();
    expect(out.join('')).toContain('no products yet: from an admin number send .addproduk');
    expect(out.join('')).not.toContain('demo catalogue added');
    expect(await products(dataDir)).toEqual([]);
  });

  it('a demo store later switched to real WhatsApp is warned once of the demo products and voucher still on sale', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-was-demo-'));
    const demo = await spawnKedai({ DATABASE_URL: '', DATA_DIR: dataDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' });
    await demo.stop();
    expect(await products(dataDir)).toContain('NETFLIX1');
    const first: string[] = [];
    const real = await spawnKedai({ ...REAL, DATA_DIR: dataDir }, { stdout: first });
    await waitFor('the banner', async () => first.join('').includes('kedai is running'));
    await real.stop();
    const warning = first.join('');
    expect(warning).toMatch(/WARNING: .*demo goods are still on sale.*NETFLIX1.*voucher HEMAT10/);
    const again: string[] = [];
    const next = await spawnKedai({ ...REAL, DATA_DIR: dataDir }, { stdout: again });
    await waitFor('the banner', async () => again.join('').includes('kedai is running'));
    await next.stop();
    expect(again.join('')).not.toContain('WARNING');
  });
});

describe("the store's files are the owner's only", () => {
  /** Every path under `dir` whose mode lets group or others in. */
  const open = (dir: string): string[] => {
    const found: string[] = [];
    const walk = (p: string) => {
      const st = lstatSync(p);
      if ((st.mode & 0o077) !== 0) found.push(`${p} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    };
    walk(dir);
    return found;
  };

  it('tightens a DATA_DIR and a BACKUP_DIR that existed before (a Docker volume, a mkdir) and creates everything new 0600/0700, the database files included', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-perm-'));
    const backupDir = mkdtempSync(join(tmpdir(), 'kedai-perm-backups-'));
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'old'), { mode: 0o777 });
    chmodSync(join(dataDir, 'old'), 0o777);
    writeFileSync(join(dataDir, 'old', 'notes.txt'), 'x');
    chmodSync(join(dataDir, 'old', 'notes.txt'), 0o666);
    chmodSync(backupDir, 0o755);
    writeFileSync(join(backupDir, 'kedai-old.tar.gz'), 'x');
    chmodSync(join(backupDir, 'kedai-old.tar.gz'), 0o644);
    const env = { DATABASE_URL: '', DATA_DIR: dataDir, BACKUP_DIR: backupDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' };
    const k = await spawnKedai(env);
    try {
      await send(k, ADMIN, '.addsaldo 6281355599999 1000');
      await waitFor('a write', async () => (await replies(k, ADMIN)).length > 0);
      expect(open(dataDir)).toEqual([]);
      expect(open(backupDir)).toEqual([]);
      // A backup taken through the running bot is the owner's only too.
      const file = join(backupDir, 'now.jsonl.gz');
      expect((await cliIn(env, ['backup', file])).code).toBe(0);
      expect(open(backupDir)).toEqual([]);
    } finally {
      await k.stop();
    }
    expect(open(dataDir)).toEqual([]);
  });
});

describe('a DATA_DIR written by an earlier (PGlite) kedai', () => {
  it('is carried over at the first start: every row in the PostgreSQL server, proven, the old folder kept aside and renamed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-carry-'));
    const old = await openPglite(join(dataDir, 'pglite'));
    await migrate(old);
    await old.query(`INSERT INTO users (wa_id, name) VALUES ('6281366600001', 'Lama')`);
    await old.query(`INSERT INTO ledger_entries (user_id, amount, kind, note) SELECT id, 42000, 'adjustment', 'before the upgrade' FROM users WHERE wa_id = '6281366600001'`);
    await old.query(`INSERT INTO products (code, name, price) VALUES ('OLD1', 'From PGlite', 5000)`);
    await old.close();
    const env = { DATABASE_URL: '', DATA_DIR: dataDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' };
    const k = await spawnKedai(env);
    try {
      await send(k, '6281366600001', '.saldo');
      await waitFor('the balance from before', async () => (await lastReply(k, '6281366600001')).includes('Rp42.000'));
    } finally {
      await k.stop();
    }
    const { readdirSync } = await import('node:fs');
    const kept = readdirSync(dataDir).filter((f) => f.startsWith('pglite.carried-over-'));
    expect([kept.length, readdirSync(dataDir).includes('pglite')]).toEqual([1, false]);
    expect(await withStore(dataDir, async (db) => (await db.query<{ code: string }>(`SELECT code FROM products WHERE code = 'OLD1'`)).length)).toBe(1);
    expect(await withStore(dataDir, (db) => verifyInvariants(db))).toEqual([]);
  }, 120_000);
});
