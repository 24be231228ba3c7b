import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, type Database } from '../src/adapters/postgres/db.js';
import { lockDataDir } from '../src/adapters/postgres/data-lock.js';
import { openEmbeddedStore, quietLog } from '../src/adapters/postgres/embedded-store.js';
import { runCli } from '../src/cli/main.js';
import { gunzipSync, gzipSync } from 'node:zlib';
import { backends, postgres } from './helpers.js';

describe.each(backends)('the kedai CLI on $name', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'kedai-cli-'));
  let drop: () => Promise<void> = async () => undefined;
  const saved = { ...process.env };
  let open: () => Promise<Database>;

  beforeAll(async () => {
    const made = backend.name === 'postgres' ? await backend.open() : null;
    for (const k of ['DATABASE_URL', 'REDIS_URL']) delete process.env[k];
    process.env.LOG_LEVEL = 'silent';
    if (made) {
      await made.db.close();
      process.env.DATABASE_URL = made.url!;
      drop = made.drop;
      open = async () => connectPg(made.url!, { max: 1 });
    } else {
      process.env.DATA_DIR = join(dir, 'data');
      // The embedded store: its server, under the folder's lock, for as long as the test looks.
      open = async () => {
        const release = lockDataDir(join(dir, 'data'), 'cli');
        const db = await openEmbeddedStore(join(dir, 'data'), quietLog);
        return { ...db, close: async () => (await db.close(), release()) };
      };
    }
  });
  afterAll(async () => {
    process.env = saved;
    await drop().catch(() => undefined);
  });

  const count = async (sql: string) => {
    const db = await open();
    try {
      return Number((await db.query<{ n: unknown }>(sql))[0]!.n);
    } finally {
      await db.close();
    }
  };

  it('adds a product and imports 10,000 stock lines in one transaction', async () => {
    expect(await runCli(['product', 'add', 'BULK', 'Bulk keys', '1.000', 'imported'])).toBe(0);
    const file = join(dir, 'keys.txt');
    writeFileSync(file, Array.from({ length: 10_000 }, (_, i) => `BULK-KEY-${i}`).join('\n') + '\n\n');
    expect(await runCli(['stock', 'import', 'bulk', file])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM stock_items WHERE status = 'available'`)).toBe(10_000);
  });

  it('skips lines already on sale or repeated in the file, and says how many', async () => {
    expect(await runCli(['product', 'add', 'AGAIN', 'Again keys', '1000'])).toBe(0);
    const first = join(dir, 'first.txt');
    writeFileSync(first, 'AGAIN-KEY-1\n');
    expect(await runCli(['stock', 'import', 'AGAIN', first])).toBe(0);
    const file = join(dir, 'again.txt');
    writeFileSync(file, 'AGAIN-KEY-1\nAGAIN-NEW-1\nAGAIN-NEW-1\n');
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stdout.write;
    try {
      expect(await runCli(['stock', 'import', 'AGAIN', file])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(lines.join('')).toContain('imported 1 items into AGAIN; 2 available; 2 skipped');
    expect(await count(`SELECT count(*) AS n FROM stock_items WHERE payload = 'AGAIN-NEW-1'`)).toBe(1);
  });

  it('refuses a malformed file with a clear error and imports nothing', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, `GOOD-1\n${'x'.repeat(4_001)}\nGOOD-2\n`);
    expect(await runCli(['migrate'])).toBe(0); // a store to count in, when this case runs alone
    const before = await count(`SELECT count(*) AS n FROM stock_items`);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['stock', 'import', 'BULK', file])).toBe(1);
      writeFileSync(join(dir, 'nope.txt'), 'NOPE-1\n');
      expect(await runCli(['stock', 'import', 'NOPE', join(dir, 'nope.txt')])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toContain('bad.txt:2: an item is longer than 4000 characters; nothing imported');
    expect(errors.join('')).toContain('No product "NOPE"');
    expect(await count(`SELECT count(*) AS n FROM stock_items`)).toBe(before);
  });

  it('adds balance with a reason through the ledger, and exports orders as CSV', async () => {
    expect(await runCli(['balance', 'add', '6281234567890', '25000', 'refund manual'])).toBe(0);
    expect(await count(`SELECT sum(amount) AS n FROM ledger_entries`)).toBe(25_000);
    expect(await runCli(['balance', 'add', '6281234567890', '-30000', 'oops'])).toBe(1);
    expect(await count(`SELECT balance AS n FROM users WHERE wa_id = '6281234567890'`)).toBe(25_000);
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stdout.write;
    try {
      expect(await runCli(['orders', 'export', '--csv'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(lines[0]).toMatch(/^order_id,created_wib,buyer,buyer_name,/);
  });

  it('writes a backup readable by its owner only, into BACKUP_DIR; with PostgreSQL in kedai\'s own format, restored and proven into an empty database or DATA_DIR', async () => {
    const backups = join(dir, `backups-${backend.name}`);
    process.env.BACKUP_DIR = backups;
    try {
      expect(await runCli(['migrate'])).toBe(0); // a store to back up, when this case runs alone
      expect(await runCli(['product', 'add', `BAK${Date.now() % 100_000}`, 'Backed up', '1000'])).toBe(0);
      expect(await runCli(['backup'])).toBe(0);
      const [file] = readdirSync(backups);
      expect(file).toMatch(/^kedai-backup-.*\.(jsonl\.gz|tar\.gz)$/);
      expect(statSync(join(backups, file!)).mode & 0o777).toBe(0o600);
      expect(statSync(backups).mode & 0o077).toBe(0);
      if (backend.name === 'postgres') {
        // kedai's own format (no pg_dump needed, no child process handed any credentials): one snapshot as gzipped JSON lines.
        expect(file).toMatch(/\.jsonl\.gz$/);
        const lines = gunzipSync(readFileSync(join(backups, file!))).toString('utf8').split('\n');
        expect(JSON.parse(lines[0]!)).toMatchObject({ kedai: 'backup', format: 1 });
        expect(lines.some((l) => l.startsWith('{"table":"stock_items"'))).toBe(true);
        expect(lines.join('\n')).not.toContain(new URL(process.env.DATABASE_URL!).hostname === 'localhost' ? 'never-there' : new URL(process.env.DATABASE_URL!).hostname);
        // Restored into an empty database: every table checked against the backup, the invariants hold.
        const products = await count('SELECT count(*) AS n FROM products');
        const target = await postgres.open();
        const url = process.env.DATABASE_URL;
        process.env.DATABASE_URL = target.url!;
        try {
          // A truncated backup is refused and leaves the target empty.
          const cut = join(dir, 'cut.jsonl.gz');
          writeFileSync(cut, gzipSync(lines.slice(0, -3).join('\n')));
          expect(await runCli(['restore', cut])).toBe(1);
          expect(await target.db.query(`SELECT to_regclass('products') IS NOT NULL AND EXISTS (SELECT 1 FROM products) AS any`)).not.toEqual([{ any: true }]);
          expect(await runCli(['restore', join(backups, file!)])).toBe(0);
          expect(Number((await target.db.query<{ n: unknown }>('SELECT count(*) AS n FROM products'))[0]!.n)).toBe(products);
          // Not over a store that holds data.
          expect(await runCli(['restore', join(backups, file!)])).toBe(1);
          // The same file into an empty embedded DATA_DIR: one format for both modes.
          delete process.env.DATABASE_URL;
          process.env.DATA_DIR = join(dir, 'restored-embedded');
          expect(await runCli(['restore', join(backups, file!)])).toBe(0);
          const embedded = await openEmbeddedStore(join(dir, 'restored-embedded'), quietLog);
          try {
            expect(Number((await embedded.query<{ n: unknown }>('SELECT count(*) AS n FROM products'))[0]!.n)).toBe(products);
          } finally {
            await embedded.close();
          }
        } finally {
          process.env.DATABASE_URL = url;
          delete process.env.DATA_DIR;
          await target.drop();
        }
      }
    } finally {
      delete process.env.BACKUP_DIR;
    }
  });
});

describe('npx kedai token', () => {
  it('prints a strong random token, different each time', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stdout.write;
    try {
      expect(await runCli(['token'])).toBe(0);
      expect(await runCli(['token'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const [a, b] = lines.map((l) => l.trim());
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(loadConfig({ ADMIN_TOKEN: a }).adminToken).toBe(a);
  });
});

describe('backups by default', () => {
  it('go to backups/ in the project folder from any working directory, a folder git ignores', () => {
    const dirOf = loadConfig({}).backupDir;
    expect(isAbsolute(dirOf)).toBe(true);
    expect(existsSync(join(dirOf, '..', 'package.json'))).toBe(true);
    expect(readFileSync(join(dirOf, '..', '.gitignore'), 'utf8').split('\n')).toContain('backups/');
  });
});

describe('the CLI is composed like the server', () => {
  it('takes the stored settings and, with REDIS_URL, the shared Redis locks and cache', async () => {
    const made = await backends.at(-1)!.open();
    const { openCli } = await import('../src/cli/context.js');
    const { RedisLock } = await import('../src/adapters/redis/guards.js');
    try {
      const env = { DATABASE_URL: made.url ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'kedai-cli-compose-')), WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true' };
      const first = await openCli(loadConfig(env));
      await first.deps.store.transaction((r) => r.settings.set('payment_expiry_minutes', '42'));
      await first.close();
      const cli = await openCli(loadConfig({ ...env, ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) }));
      try {
        expect(cli.deps.settings.paymentExpiryMinutes).toBe(42);
        if (process.env.REDIS_URL) expect(cli.deps.locks).toBeInstanceOf(RedisLock);
      } finally {
        await cli.close();
      }
    } finally {
      await made.drop();
    }
  });
});
