import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Sql } from './db.js';
import { migrate } from './migrate.js';
import { verifyInvariants } from './verify.js';

/** One table as copied: its rows on both sides agree in number and content. */
export interface MovedTable {
  name: string;
  rows: number;
}

export interface Table {
  name: string;
  columns: string[];
  key: string[];
  parents: string[];
}

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const BATCH = 2_000;

/** kedai's tables and sequences (schema public), with columns, key and the tables each refers to. */
export async function tablesOf(db: Sql): Promise<{ tables: Table[]; sequences: string[] }> {
  const rels = await db.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S') ORDER BY c.relname`,
  );
  const tables: Table[] = [];
  for (const { name } of rels.filter((r) => r.kind !== 'S' && r.name !== 'schema_migrations')) {
    const columns = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
      [ident(name)],
    );
    const key = await db.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
      [ident(name)],
    );
    const parents = await db.query<{ name: string }>(
      `SELECT DISTINCT confrelid::regclass::text AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' AND confrelid <> conrelid`,
      [ident(name)],
    );
    const cols = columns.map((c) => c.name);
    tables.push({ name, columns: cols, key: key.length ? key.map((k) => k.name) : cols, parents: parents.map((p) => p.name.replace(/^"|"$/g, '')) });
  }
  return { tables: inDependencyOrder(tables), sequences: rels.filter((r) => r.kind === 'S').map((r) => r.name) };
}

/** Parents before children, so every foreign key finds its row (the checks stay on during the copy). */
function inDependencyOrder(tables: Table[]): Table[] {
  const done = new Set<string>();
  const ordered: Table[] = [];
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t.name) && t.parents.every((p) => done.has(p) || !tables.some((x) => x.name === p)));
    if (!ready.length) throw new Error(`the tables refer to each other in a cycle: ${tables.filter((t) => !done.has(t.name)).map((t) => t.name).join(', ')}`);
    for (const t of ready) {
      done.add(t.name);
      ordered.push(t);
    }
  }
  return ordered;
}

/** Row count and a digest of every row's content in key order, the same text on either engine (inside a transaction whose TimeZone is UTC). */
export async function digestIn(sql: Sql, t: Table): Promise<{ rows: number; sum: string }> {
  const cols = t.columns.map(ident).join(', ');
  const order = t.key.map((k) => `x.${ident(k)}`).join(', ');
  const [row] = await sql.query<{ rows: unknown; sum: string }>(
    `SELECT count(*) AS rows, md5(coalesce(string_agg(row_to_json(x)::text, E'\\n' ORDER BY ${order}), '')) AS sum
       FROM (SELECT ${cols} FROM ${ident(t.name)}) x`,
  );
  return { rows: Number(row!.rows), sum: row!.sum };
}

export const digest = (db: Database, t: Table): Promise<{ rows: number; sum: string }> =>
  db.transaction(async (sql) => {
    await sql.exec(`SET LOCAL TimeZone TO 'UTC'`);
    return digestIn(sql, t);
  });

/**
 * Why `target` cannot take the store, or null when it can: it may hold nothing
 * but kedai's own tables, all empty (a fresh database, or one `npm run migrate` prepared).
 */
export async function refusal(target: Database, ours: ReadonlySet<string>): Promise<string | null> {
  const present = await target.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' ORDER BY c.relname`,
  );
  for (const { name } of present) {
    if (!ours.has(name)) return `it holds a table that is not kedai's (${name})`;
    const [row] = await target.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(name)}) AS any`);
    if (row?.any) return `it already holds data (table ${name})`;
  }
  return null;
}

/**
 * Copies the whole store from `source` (the embedded PGlite) into `target` (an
 * empty PostgreSQL database), then proves the copy: every table's row count and
 * content digest agree on both sides, every sequence continues where it was, and
 * the invariant checker is clean on the target.
 *
 * The rows go over verbatim, as JSON text PostgreSQL writes and reads itself (no
 * value passes through a JavaScript number), in one transaction: a failed move
 * leaves the target empty. The table owner's triggers are off for the copy, since
 * they apply an entry's effect (a ledger entry to its balance, a voucher use to its
 * count) and the copied rows carry their effects already; foreign keys stay on.
 */
export async function moveStore(source: Database, target: Database, progress: (table: string, rows: number) => void = () => undefined): Promise<MovedTable[]> {
  await migrate(source);
  const { tables, sequences } = await tablesOf(source);
  const why = await refusal(target, new Set(tables.map((t) => t.name)));
  if (why) throw new Error(`the target database is not empty: ${why}. Move into a new, empty database (createdb kedai).`);
  await migrate(target);
  await target.transaction(async (to) => {
    for (const t of tables) {
      const cols = t.columns.map(ident).join(', ');
      await to.exec(`ALTER TABLE ${ident(t.name)} DISABLE TRIGGER USER`);
      // A cursor reads the table once, in key order; each row comes as PostgreSQL's own JSON text.
      await source.transaction(async (from) => {
        await from.exec(`DECLARE moving NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM (SELECT ${cols} FROM ${ident(t.name)} ORDER BY ${t.key.map(ident).join(', ')}) x`);
        for (let rows = 0; ; ) {
          const batch = await from.query<{ j: string }>(`FETCH ${BATCH} FROM moving`);
          if (!batch.length) break;
          const json = `[${batch.map((r) => r.j).join(',')}]`;
          await to.query(`INSERT INTO ${ident(t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${ident(t.name)}, $1::json)`, [json]);
          progress(t.name, (rows += batch.length));
        }
        await from.exec('CLOSE moving');
      });
      await to.exec(`ALTER TABLE ${ident(t.name)} ENABLE TRIGGER USER`);
    }
    for (const s of sequences) {
      const [at] = await source.query<{ last_value: unknown; is_called: boolean }>(`SELECT last_value, is_called FROM ${ident(s)}`);
      await to.query('SELECT setval($1::regclass, $2::bigint, $3::boolean)', [ident(s), String(at!.last_value), at!.is_called]);
    }
  });
  const moved: MovedTable[] = [];
  for (const t of tables) {
    const [from, to] = [await digest(source, t), await digest(target, t)];
    if (from.rows !== to.rows || from.sum !== to.sum) {
      throw new Error(`the copy of ${t.name} differs (${from.rows} rows here, ${to.rows} there): the target is left as it is; drop it and try again`);
    }
    moved.push({ name: t.name, rows: to.rows });
  }
  const violations = await verifyInvariants(target);
  if (violations.length) throw new Error(`the copy breaks ${violations.map((v) => v.invariant).join('; ')}: check the source with npx kedai verify`);
  return moved;
}

/** Left in DATA_DIR after a move: the embedded store is then a stale copy, and must not take orders again. */
const MOVED_FILE = 'moved-to-postgres.json';

export function markMoved(dataDir: string, to: string): void {
  writeFileSync(join(dataDir, MOVED_FILE), JSON.stringify({ to, at: new Date().toISOString() }), { mode: 0o600 });
}

/**
 * Why the embedded store in `dataDir` must not open for business, or null: after a
 * move its balances and stock are stale, and selling from them would sell twice.
 */
export function movedAway(dataDir: string): string | null {
  const file = join(dataDir, MOVED_FILE);
  if (!existsSync(file)) return null;
  let where = { to: 'PostgreSQL', at: 'earlier' };
  try {
    where = JSON.parse(readFileSync(file, 'utf8')) as typeof where;
    // A file written before passwords were hidden in it: hidden now, here and on disk.
    if (withoutPassword(where.to) !== where.to) {
      where.to = withoutPassword(where.to);
      writeFileSync(file, JSON.stringify(where), { mode: 0o600 });
    }
  } catch {
    /* the file itself says enough */
  }
  return (
    `the store in ${dataDir} was moved to ${where.to} on ${where.at}; it is a stale copy now (selling from it would sell twice). ` +
    `Start with DATABASE_URL set to that database. To use the embedded copy anyway, delete ${file}.`
  );
}

/** A database URL with its password hidden (`user:***@`, `?password=***`), for messages and files. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/password/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return 'the database';
  }
}
