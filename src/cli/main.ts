import { readdir, readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { connectPg, openPglite, type Database } from '../adapters/postgres/db.js';
import { DataDirBusy, lockDataDir } from '../adapters/postgres/data-lock.js';
import { migrate } from '../adapters/postgres/migrate.js';
import { verifyInvariants } from '../adapters/postgres/verify.js';
import { addProduct, addStock, adjustBalance } from '../app/admin.js';
import { listProducts } from '../app/account.js';
import { ConfigError, loadConfig } from '../config.js';
import { isDomainError } from '../domain/errors.js';
import { formatRupiah, parseRupiah } from '../domain/money.js';
import { textsFor } from '../i18n/index.js';
import { openCli } from './context.js';
import { join } from 'node:path';
import { backupFile, writeBackup } from '../backup.js';
import { strongToken } from '../secret.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const csv = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const amount = (text: string, allowNegative = false): number => {
  const negative = allowNegative && text.startsWith('-');
  const value = parseRupiah(negative ? text.slice(1) : text);
  if (value === null) throw new Error(`not an amount: ${text} (whole rupiah, e.g. 25000)`);
  return negative ? -value : value;
};

/** Runs `fn` with just the database (no migrations: `migrate` and `verify` must not change it first). */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const c = loadConfig();
  const release = c.databaseUrl ? () => undefined : lockDataDir(c.dataDir, 'cli');
  try {
    const db = c.databaseUrl ? connectPg(c.databaseUrl, { max: 1 }) : await openPglite(join(c.dataDir, 'pglite'));
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}

/** Runs `fn` with the CLI's database and deps, closing them afterwards. */
async function withCli<T>(fn: (cli: Awaited<ReturnType<typeof openCli>>) => Promise<T>): Promise<T> {
  const cli = await openCli(loadConfig());
  try {
    return await fn(cli);
  } finally {
    await cli.close();
  }
}

export function buildCli(): Command {
  const config = () => loadConfig();
  const program = new Command('kedai').description('kedai store bot: operate the store from the terminal').exitOverride();

  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_URL, or the embedded database in DATA_DIR)')
    .action(() =>
      withDb(async (db) => {
        const applied = await migrate(db);
        out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      }),
    );

  program
    .command('verify')
    .description("check the store's money and stock invariants on the database; exits 1 with the offending rows")
    .action(() =>
      withDb(async (db) => {
        const violations = await verifyInvariants(db);
        for (const v of violations) out(`VIOLATED: ${v.invariant}\n${v.rows.map((r) => `  ${JSON.stringify(r)}`).join('\n')}`);
        if (violations.length) throw new Error(`${violations.length} invariant(s) violated`);
        out('all invariants hold');
      }),
    );

  const product = program.command('product').description('products');
  product
    .command('add <code> <name> <price> [description]')
    .description('create a product, e.g. kedai product add NETFLIX1 "Netflix 1 bulan" 25000')
    .action(async (code: string, name: string, price: string, description = '') => {
      await withCli(async (cli) => {
        const p = await addProduct(cli.deps, { code, name, price: amount(price), description });
        out(`added ${p.code} — ${p.name} — ${formatRupiah(p.price)}`);
      });
    });
  product
    .command('list')
    .description('active products with price and available stock')
    .action(async () => {
      await withCli(async (cli) => {
        for (const p of await listProducts(cli.deps)) out(`${p.code}\t${p.name}\t${formatRupiah(p.price)}\t${p.available} available`);
      });
    });

  program
    .command('stock')
    .description('stock')
    .command('import <code> <file>')
    .description('add one deliverable item per line of FILE (.txt or a one-column .csv) to product CODE, all or nothing')
    .action(async (code: string, file: string) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new Error(`cannot read ${file}`);
      });
      const lines = text.split(/\r?\n/).map((l) => (file.endsWith('.csv') ? l.replace(/^"(.*)"$/, '$1').replace(/""/g, '"') : l));
      const tooLong = lines.findIndex((l) => l.trim().length > 4000);
      if (tooLong >= 0) throw new Error(`${file}:${tooLong + 1}: an item is longer than 4000 characters; nothing imported`);
      if (!lines.some((l) => l.trim())) throw new Error(`${file} has no items; nothing imported`);
      await withCli(async (cli) => {
        const { added, skipped, available } = await addStock(cli.deps, code, lines, (done, total) => {
          if (total >= 2_000) process.stderr.write(`\rimporting ${done}/${total}`);
        });
        if (added + skipped >= 2_000) process.stderr.write('\n');
        out(`imported ${added} items into ${code.toUpperCase()}; ${available} available${skipped ? `; ${skipped} skipped (already on sale or listed twice)` : ''}`);
      });
    });

  program
    .command('balance')
    .description('balances')
    .command('add <number> <amount> <reason>')
    .description('add (or, with a negative amount, take) balance: a ledger entry with the reason')
    .action(async (number: string, value: string, reason: string) => {
      await withCli(async (cli) => {
        const { waId, balance, newNumber } = await adjustBalance(cli.deps, number, amount(value, true), `cli: ${reason}`);
        out(`balance of ${waId} is now ${formatRupiah(balance)}${newNumber ? ' (this number has not written to the store yet)' : ''}`);
      });
    });

  program
    .command('orders')
    .description('orders')
    .command('export')
    .description('every order as CSV on stdout')
    .option('--csv', 'CSV output (the only format)', true)
    .action(async () => {
      await withCli(async (cli) => {
        const rows = await cli.db.query<Record<string, unknown>>(
          `SELECT o.public_id, o.created_at, u.wa_id, o.kind, p.code, o.qty, o.unit_price, o.total, o.payment_method, o.status, o.paid_at, o.delivered_at
             FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN products p ON p.id = o.product_id ORDER BY o.id`,
        );
        out('order_id,created_at,buyer,kind,product,qty,unit_price,total,payment_method,status,paid_at,delivered_at');
        for (const r of rows) out(Object.values(r).map(csv).join(','));
      });
    });

  program
    .command('restore <file>')
    .description('the embedded store from a backup (.tar.gz of `npx kedai backup`) into an empty DATA_DIR')
    .action(async (file: string) => {
      const c = config();
      if (c.databaseUrl) throw new Error('restore is for the embedded store; for PostgreSQL use psql with the .sql backup');
      const data = await readFile(file).catch(() => {
        throw new Error(`cannot read ${file}`);
      });
      const dir = join(c.dataDir, 'pglite');
      const release = lockDataDir(c.dataDir, 'cli');
      try {
        if ((await readdir(dir).catch(() => [])).length) throw new Error(`${dir} is not empty: restore only into an empty DATA_DIR (move the old one aside first)`);
        const db = await openPglite(dir, { loadDataDir: new Blob([data]) });
        try {
          const [row] = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM orders');
          out(`restored ${file} into ${dir}: ${Number(row?.n ?? 0)} orders; start the bot with npm start`);
        } finally {
          await db.close();
        }
      } finally {
        release();
      }
    });

  program
    .command('token')
    .description('print a strong random token for ADMIN_TOKEN or METRICS_TOKEN')
    .action(() => void out(strongToken()));

  program
    .command('backup [file]')
    .description('a pg_dump of DATABASE_URL (plain SQL), or the embedded data directory as .tar.gz; into BACKUP_DIR (./backups) unless FILE is given; readable by the owner only')
    .action(async (file?: string) => {
      const c = config();
      const target = file ?? backupFile(c.backupDir, c.databaseUrl ? 'sql' : 'tar.gz');
      if (c.databaseUrl) {
        await writeBackup(target, { databaseUrl: c.databaseUrl });
        out(`written ${target}`);
        return;
      }
      await writeBackup(target, {
        copy: async () => {
          try {
            return await withDb(async (db) => Buffer.from(await (await db.dump!()).arrayBuffer()));
          } catch (err) {
            // The bot holds the folder: it makes the copy itself, between two statements.
            if (!(err instanceof DataDirBusy) || err.holder.role !== 'bot' || !err.holder.token) throw err;
            const res = await fetch(`http://127.0.0.1:${err.holder.port}/internal/backup`, { headers: { authorization: `Bearer ${err.holder.token}` } });
            if (!res.ok) throw new Error(`the running kedai (process ${err.holder.pid}) did not make the backup: HTTP ${res.status}`);
            return Buffer.from(await res.arrayBuffer());
          }
        },
      });
      out(`written ${target} (restore into an empty DATA_DIR: npx kedai restore ${target})`);
    });

  return program;
}

/** Runs the CLI; errors become one clear line and exit code 1 (2 for bad usage or configuration). */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      process.stderr.write(`kedai: ${err.message}\n`);
      return 2;
    }
    const message = isDomainError(err) ? textsFor('en').error(err.code, err.params, '') : err instanceof Error ? err.message : String(err);
    process.stderr.write(`kedai: ${message}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
