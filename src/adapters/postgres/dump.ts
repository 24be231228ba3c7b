import { mkdtemp, copyFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from './db.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { digestIn, ident, refusal, tablesOf, type MovedTable, type Table } from './move.js';
import { verifyInvariants } from './verify.js';

/*
 * kedai's own backup format: one snapshot of the store as JSON lines (gzipped by the
 * caller), the same for every engine, needing no pg_dump. Line 1 says what it is and
 * which migrations the store had; then each table's header (its columns, row count
 * and content digest) and its rows as PostgreSQL's own JSON text; then the sequences;
 * then an end line, so a truncated file is refused rather than half-restored.
 */

const FORMAT = 1;
const BATCH = 2_000;

interface Head {
  kedai: 'backup';
  format: number;
  at: string;
  migrations: string[];
}
interface TableHead {
  table: string;
  columns: string[];
  key: string[];
  rows: number;
  sum: string;
}

/** Writes the whole store, as one consistent snapshot, line by line (each line without its newline). */
export async function dumpStore(db: Database, write: (line: string) => Promise<void>, now = new Date()): Promise<MovedTable[]> {
  return db.transaction(async (sql) => {
    // One snapshot for every table, and timestamps written the same whatever the server's zone.
    await sql.exec(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    await sql.exec(`SET LOCAL TimeZone TO 'UTC'`);
    const migrations = (await sql.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
    const head: Head = { kedai: 'backup', format: FORMAT, at: now.toISOString(), migrations };
    await write(JSON.stringify(head));
    const { tables, sequences } = await tablesOf(sql);
    const done: MovedTable[] = [];
    for (const t of tables) {
      const { rows, sum } = await digestIn(sql, t);
      const th: TableHead = { table: t.name, columns: t.columns, key: t.key, rows, sum };
      await write(JSON.stringify(th));
      const cols = t.columns.map(ident).join(', ');
      await sql.exec(`DECLARE dumping NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM (SELECT ${cols} FROM ${ident(t.name)} ORDER BY ${t.key.map(ident).join(', ')}) x`);
      for (;;) {
        const batch = await sql.query<{ j: string }>(`FETCH ${BATCH} FROM dumping`);
        if (!batch.length) break;
        for (const r of batch) await write(r.j);
      }
      await sql.exec('CLOSE dumping');
      done.push({ name: t.name, rows });
    }
    for (const s of sequences) {
      const [at] = await sql.query<{ last_value: unknown; is_called: boolean }>(`SELECT last_value, is_called FROM ${ident(s)}`);
      await write(JSON.stringify({ sequence: s, last_value: String(at!.last_value), is_called: at!.is_called }));
    }
    await write(JSON.stringify({ end: true, tables: done.length }));
    return done;
  });
}

/** Reads one JSON line, or says where the file is not a kedai backup. */
const parse = <T>(line: string | undefined, what: string): T => {
  if (line === undefined) throw new Error(`the backup ends early (expected ${what}): it is truncated`);
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`the backup is damaged (expected ${what})`);
  }
};

/**
 * Loads a backup into `target`, which must hold nothing but kedai's empty tables. The
 * schema is brought to the backup's migrations first, the rows go in verbatim with the
 * tables' own triggers off (they carry their effects already), every table's count and
 * digest is checked against the backup's in the same transaction (a mismatch leaves the
 * target as it was), then the newer migrations run and the invariant checker has the last word.
 */
export async function restoreStore(target: Database, lines: AsyncIterator<string>): Promise<MovedTable[]> {
  const next = async () => {
    const r = await lines.next();
    return r.done ? undefined : r.value;
  };
  const head = parse<Head>(await next(), 'the header');
  if (head.kedai !== 'backup' || head.format !== FORMAT) throw new Error('not a kedai backup (or one from a newer kedai)');
  const known = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const unknown = head.migrations.filter((m) => !known.includes(m));
  if (unknown.length) throw new Error(`the backup comes from a newer kedai (migrations ${unknown.join(', ')}): update kedai first`);
  // A database `npm run migrate` prepared holds kedai's tables, empty: fine, when its schema is not newer than the backup's.
  const [{ prepared } = { prepared: false }] = await target.query<{ prepared: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS prepared`);
  const applied = prepared ? (await target.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name) : [];
  const tables = prepared ? (await target.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)).map((r) => r.name) : [];
  const why = (await refusal(target, new Set(tables))) ?? (applied.some((m) => !head.migrations.includes(m)) ? 'its schema is newer than the backup\'s' : null);
  if (why) throw new Error(`the target database is not empty: ${why}. Restore into a new, empty database or an empty DATA_DIR.`);
  // The schema as the backup's store had it, so every row fits; newer migrations run after the load.
  const then = await mkdtemp(join(tmpdir(), 'kedai-restore-'));
  try {
    for (const m of head.migrations) await copyFile(join(MIGRATIONS_DIR, m), join(then, m));
    await migrate(target, then);
  } finally {
    await rm(then, { recursive: true, force: true });
  }
  const restored = await target.transaction(async (sql) => {
    await sql.exec(`SET LOCAL TimeZone TO 'UTC'`);
    const done: { t: Table; th: TableHead }[] = [];
    let line = await next();
    for (;;) {
      const item = parse<Partial<TableHead> & { sequence?: string; last_value?: string; is_called?: boolean; end?: boolean }>(line, 'a table, a sequence or the end');
      if (item.end) break;
      if (item.sequence) {
        await sql.query('SELECT setval($1::regclass, $2::bigint, $3::boolean)', [ident(item.sequence), item.last_value, item.is_called]);
        line = await next();
        continue;
      }
      const th = item as TableHead;
      const t: Table = { name: th.table, columns: th.columns, key: th.key, parents: [] };
      const cols = t.columns.map(ident).join(', ');
      await sql.exec(`ALTER TABLE ${ident(t.name)} DISABLE TRIGGER USER`);
      let batch: string[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await sql.query(`INSERT INTO ${ident(t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${ident(t.name)}, $1::json)`, [`[${batch.join(',')}]`]);
        batch = [];
      };
      for (let i = 0; i < th.rows; i++) {
        const row = await next();
        if (row === undefined) throw new Error(`the backup ends inside table ${t.name}: it is truncated`);
        batch.push(row);
        if (batch.length === BATCH) await flush();
      }
      await flush();
      await sql.exec(`ALTER TABLE ${ident(t.name)} ENABLE TRIGGER USER`);
      done.push({ t, th });
      line = await next();
    }
    for (const { t, th } of done) {
      const got = await digestIn(sql, t);
      if (got.rows !== th.rows || got.sum !== th.sum) throw new Error(`table ${t.name} does not match the backup (${got.rows} of ${th.rows} rows): nothing was restored`);
    }
    return done.map(({ th }) => ({ name: th.table, rows: th.rows }));
  });
  await migrate(target);
  const violations = await verifyInvariants(target);
  if (violations.length) throw new Error(`the restored store breaks ${violations.map((v) => v.invariant).join('; ')}`);
  return restored;
}
