import { ownerOnlyFromNowOn } from '../owner-only.js';
import { access, readdir, readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { connectPg, openPglite, ping, type Database } from '../adapters/postgres/db.js';
import { ordersExportPage } from '../adapters/postgres/export.js';
import { csvPages, ORDER_EXPORT_HEAD } from '../app/exports.js';
import { storeGauges } from '../adapters/postgres/gauges.js';
import { lockDataDir } from '../adapters/postgres/data-lock.js';
import { migrate } from '../adapters/postgres/migrate.js';
import { markMoved, moveStore, withoutPassword } from '../adapters/postgres/move.js';
import { verifyInvariants } from '../adapters/postgres/verify.js';
import { addProduct, addStock, adjustBalance } from '../app/admin.js';
import { listProducts } from '../app/catalogue.js';
import { ConfigError, loadConfig, readableConfig } from '../config.js';
import { isDomainError } from '../domain/errors.js';
import { formatRupiah, parseRupiah } from '../domain/money.js';
import { textsFor } from '../i18n/index.js';
import { terminal, withEmbedded, type CliHost } from './host.js';
import { askTheRunningKedai, diagnose } from './doctor.js';
import { join } from 'node:path';
import { backupFile, backupLines, writeBackup } from '../backup.js';
import { restoreStore } from '../adapters/postgres/dump.js';
import { strongToken } from '../secret.js';

const amount = (text: string, allowNegative = false): number => {
  const negative = allowNegative && text.startsWith('-');
  const value = parseRupiah(negative ? text.slice(1) : text);
  if (value === null) throw new Error(`not an amount: ${text} (whole rupiah, e.g. 25000)`);
  return negative ? -value : value;
};

export function buildCli(host: CliHost): Command {
  const { out } = host;
  const config = () => loadConfig();
  const program = new Command('kedai')
    .description('kedai store bot: operate the store from the terminal')
    .exitOverride()
    .configureOutput({ writeOut: (text) => out(text.replace(/\n$/, '')), writeErr: (text) => host.err(text) });

  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_URL, or the embedded database in DATA_DIR)')
    .action(() =>
      host.database(async (db) => {
        const applied = await migrate(db);
        out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      }),
    );

  program
    .command('verify')
    .description("check the store's money and stock invariants on the database; exits 1 with the offending rows")
    .action(() =>
      host.database(async (db) => {
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
      await host.session(async (cli) => {
        const p = await addProduct(cli.deps, { code, name, price: amount(price), description });
        out(`added ${p.code} — ${p.name} — ${formatRupiah(p.price)}`);
      });
    });
  product
    .command('list')
    .description('active products with price and available stock (a top-up: its supplier SKU)')
    .action(async () => {
      await host.session(async (cli) => {
        for (const p of await listProducts(cli.deps)) out(`${p.code}\t${p.name}\t${formatRupiah(p.price)}\t${p.supplierSku ? `top-up ${p.supplierSku}` : `${p.available} available`}`);
      });
    });

  program
    .command('stock')
    .description('stock')
    .command('import <code> <file>')
    .description('add one deliverable item per line of FILE (.txt or a one-column .csv) to product CODE, all or nothing')
    .action(async (code: string, file: string) => {
      const text = await host.readFile(file);
      const lines = text.split(/\r?\n/).map((l) => (file.endsWith('.csv') ? l.replace(/^"(.*)"$/, '$1').replace(/""/g, '"') : l));
      const tooLong = lines.findIndex((l) => l.trim().length > 4000);
      if (tooLong >= 0) throw new Error(`${file}:${tooLong + 1}: an item is longer than 4000 characters; nothing imported`);
      if (!lines.some((l) => l.trim())) throw new Error(`${file} has no items; nothing imported`);
      await host.session(async (cli) => {
        const { added, skipped, available } = await addStock(cli.deps, code, lines, (done, total) => {
          if (total >= 2_000) host.err(`\rimporting ${done}/${total}`);
        });
        if (added + skipped >= 2_000) host.err('\n');
        out(`imported ${added} items into ${code.toUpperCase()}; ${available} available${skipped ? `; ${skipped} skipped (already on sale or listed twice)` : ''}`);
      });
    });

  program
    .command('balance')
    .description('balances')
    .command('add <number> <amount> <reason>')
    .description('add (or, with a negative amount, take) balance: a ledger entry with the reason')
    .action(async (number: string, value: string, reason: string) => {
      await host.session(async (cli) => {
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
      await host.session(async (cli) => {
        // The dashboard's export, unfiltered: one CSV with one home (app/exports.ts).
        for await (const chunk of csvPages(ORDER_EXPORT_HEAD, (after) => ordersExportPage(cli.db, {}, after, 2_000))) out(chunk.replace(/\r\n$/, '').replace(/\r\n/g, '\n'));
      });
    });

  program
    .command('restore <file>')
    .description("a backup of `npx kedai backup` into an empty store: kedai's format (.jsonl.gz) into DATABASE_URL or an empty DATA_DIR, an embedded folder (.tar.gz) into an empty DATA_DIR; every table checked against the backup")
    .action(async (file: string) => {
      const c = config();
      if (!file.endsWith('.tar.gz')) {
        await access(file).catch(() => {
          throw new Error(`cannot read ${file}`);
        });
        const restore = async (db: Database) => {
          const tables = await restoreStore(db, backupLines(file));
          out(`restored ${file}: ${tables.reduce((n, t) => n + t.rows, 0)} rows in ${tables.length} tables, each checked against the backup; the invariants hold`);
        };
        // The target must be empty: restoreStore refuses a store that holds data.
        return c.databaseUrl ? host.database(restore) : withEmbedded(c, restore);
      }
      if (c.databaseUrl) throw new Error('a .tar.gz is an embedded folder: restore it without DATABASE_URL, into an empty DATA_DIR');
      // A folder backup of an earlier (PGlite) kedai: put back as that folder; the next start carries it into the server.
      const dir = join(c.dataDir, 'pglite');
      const release = lockDataDir(c.dataDir, 'cli');
      try {
        for (const taken of [dir, join(c.dataDir, 'postgres')]) {
          if ((await readdir(taken).catch(() => [])).length) throw new Error(`${taken} is not empty: restore only into an empty DATA_DIR (move the old one aside first)`);
        }
        const data = await readFile(file).catch(() => {
          throw new Error(`cannot read ${file}`);
        });
        const db = await openPglite(dir, { loadDataDir: new Blob([data]) });
        try {
          const orders = (await storeGauges(db).ordersByStatus()).reduce((n, s) => n + s.n, 0);
          out(`restored ${file} into ${dir}: ${orders} orders; the next start carries it into the embedded PostgreSQL server (npm start)`);
        } finally {
          await db.close();
        }
      } finally {
        release();
      }
    });

  program
    .command('move-to-postgres [url]')
    .description(
      'copy the embedded store (DATA_DIR) into an empty PostgreSQL database, check the copy, and print how to start on it; the bot must be stopped. ' +
        'The URL is read from TARGET_DATABASE_URL or standard input (a URL on the command line shows its password to every local user in ps)',
    )
    .action(async (given: string | undefined) => {
      const url = given ?? config().moveTarget ?? (await host.readLine('PostgreSQL URL (postgres://user:password@host:5432/database): '));
      if (given !== undefined && /:[^/@]+@|[?&](ssl)?password=/i.test(given)) {
        host.err('note: a password on the command line is visible to every user of this machine (ps) while the move runs; next time give the URL as TARGET_DATABASE_URL or on standard input\n');
      }
      const c = config();
      if (c.databaseUrl) throw new Error('DATABASE_URL is set: this store is on PostgreSQL already (move-to-postgres copies the embedded store in DATA_DIR)');
      if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`not a PostgreSQL URL: ${withoutPassword(url)} (postgres://user:password@host:5432/database)`);
      const shown = withoutPassword(url);
      const moved = await withEmbedded(c, async (source) => {
        const target = connectPg(url, { max: 1 });
        try {
          await ping(target).catch((err: unknown) => {
            throw new Error(`cannot reach ${shown}: ${err instanceof Error ? err.message : String(err)}`);
          });
          const tables = await moveStore(source, target, (table, rows) => host.err(`\rcopying ${table}: ${rows} rows   `));
          host.err('\n');
          markMoved(c.dataDir, shown);
          return tables;
        } finally {
          await target.close();
        }
      });
      for (const t of moved) out(`${t.name}\t${t.rows}`);
      out(`moved ${moved.reduce((n, t) => n + t.rows, 0)} rows into ${shown}: every table's count and content match, and all invariants hold.`);
      out(`The embedded copy in ${c.dataDir} is retired (it will not start again). Next, with your password and settings as before:`);
      out(`  DATABASE_URL='${shown}' WHATSAPP_TRANSPORT=${c.transport === 'webchat' || c.transport === 'console' ? 'baileys' : c.transport} npm start`);
    });

  program
    .command('doctor')
    .description('check the configuration against the live services (database, Redis, Midtrans, WhatsApp, Digiflazz, public URL): the running kedai checks its own; one line per check with the fix; exit 1 when one fails')
    .action(async () => {
      const { config: c, unreadable } = readableConfig();
      const answered = await askTheRunningKedai(c).catch(() => null);
      out(
        answered
          ? `Checked by the running kedai (process ${answered.pid}), with the configuration it runs with:`
          : 'No kedai is running with this configuration: checked with this shell\'s (the environment and .env):',
      );
      const checks = answered?.checks ?? (await diagnose(c, unreadable));
      const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
      for (const ch of checks) out(`${mark[ch.verdict]} ${ch.name}: ${ch.detail}`);
      const failed = checks.filter((ch) => ch.verdict === 'fail').length;
      if (failed) throw new Error(`${failed} check(s) failed`);
    });

  program
    .command('token')
    .description('print a strong random token for ADMIN_TOKEN or METRICS_TOKEN')
    .action(() => void out(strongToken()));

  program
    .command('backup [file]')
    .description("the store as one snapshot in kedai's own format (.jsonl.gz), also while the bot runs; into BACKUP_DIR (./backups) unless FILE is given; readable by the owner only")
    .action(async (file?: string) => {
      const target = file ?? backupFile(config().backupDir);
      await host.database((db) => writeBackup(target, { db }));
      out(`written ${target} (restore into an empty store: npx kedai restore ${target})`);
    });

  return program;
}

/** Runs the CLI on `host`; errors become one clear line and exit code 1 (2 for bad usage or configuration). */
export async function runCliOn(host: CliHost, argv: string[]): Promise<number> {
  try {
    await buildCli(host).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      host.err(`kedai: ${err.message}\n`);
      return 2;
    }
    const message = isDomainError(err) ? textsFor('en').error(err.code, err.params, '') : err instanceof Error ? err.message : String(err);
    host.err(`kedai: ${message}\n`);
    return 1;
  }
}

/** The CLI in a terminal. */
export const runCli = (argv: string[]): Promise<number> => runCliOn(terminal(), argv);

if (import.meta.url === `file://${process.argv[1]}`) {
  // Backups, a restored store, the lock file: the owner's only.
  ownerOnlyFromNowOn();
  process.exitCode = await runCli(process.argv.slice(2));
}
