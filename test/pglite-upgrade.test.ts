import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../src/adapters/postgres/db.js';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { withEmbedded } from '../src/cli/host.js';
import { loadConfig } from '../src/config.js';
import { ADMIN, cliIn } from './helpers.js';
import { spawnKedai, waitFor, type KedaiProcess } from './processes.js';

/*
 * Stores written by the last kedai that ran on PGlite (commit 554241f, PGlite 0.5.16, the
 * version it shipped), with real traffic through its web chat: balance and Midtrans
 * purchases, a top-up delivered and one refunded, a voucher, a deposit, an expired order, one
 * awaiting payment, a role price, a setting (test/fixtures/README.md). The folder as that
 * kedai left it, and the backup its `npx kedai backup` wrote while it ran. Both must come
 * into today's PostgreSQL server with every row, and the store must go on selling.
 */

const fixture = (name: string) => brotliDecompressSync(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** Untars `tar` into `dir` (the system's tar; a leading '/' in member names is dropped). */
function untar(tar: Buffer, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('tar', ['-x', '-C', dir], { input: tar });
  if (r.status !== 0) throw new Error(`tar: ${r.stderr.toString()}`);
}

const send = (k: KedaiProcess, from: string, text: string) =>
  fetch(`${k.url}/chat/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
const repliesTo = async (k: KedaiProcess, number: string) =>
  ((await (await fetch(`${k.url}/chat/api/messages?number=${number}`)).json()) as { messages: { direction: string; text: string }[] }).messages.filter((m) => m.direction === 'out').map((m) => m.text);
/** Sends `text` and waits for an answer after it that `until` accepts (a notice of the store, an expiry, may come in between). */
const ask = async (k: KedaiProcess, from: string, text: string, until: (reply: string) => boolean) => {
  const before = (await repliesTo(k, from)).length;
  await send(k, from, text);
  let seen: string[] = [];
  await waitFor(`the answer to ${text}`, async () => (seen = (await repliesTo(k, from)).slice(before)).some(until), 15_000).catch(() => {
    throw new Error(`${text}: the answers were ${JSON.stringify(seen)}`);
  });
  return seen.find(until)!;
};
const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;

/** Each table's columns in a store. */
async function columnsOf(db: Database): Promise<Record<string, string[]>> {
  const rows = await db.query<{ t: string; c: string }>(
    `SELECT c.relname AS t, a.attname AS c FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`,
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.t] ??= []).push(r.c);
  return out;
}

/**
 * What a store holds, read the same way on either engine: the rows of `columns`' tables as text,
 * each with those columns only (a later migration's new columns and tables are not the old store's).
 */
async function contents(db: Database, columns: Record<string, string[]>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, cols] of Object.entries(columns)) {
    const rows = await db.transaction(async (sql) => {
      await sql.exec(`SET LOCAL TimeZone TO 'UTC'`);
      return sql.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM (SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${name}") t`);
    });
    out[name] = rows.map((r) => r.j).sort();
  }
  return out;
}

const env = (dataDir: string) => ({ DATABASE_URL: '', DATA_DIR: dataDir, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: '', MIDTRANS_SERVER_KEY: '' });

describe('a store written by the last PGlite kedai (554241f)', () => {
  const running: KedaiProcess[] = [];
  afterAll(async () => {
    for (const k of running) await k.stop();
  });

  it('its DATA_DIR is carried over by the first command of the new version: every row of every table as it was, the old folder kept aside; the bot then sells on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-upgrade-'));
    untar(fixture('pglite-data-dir-554241f.tar.br'), dataDir);
    // What the old store holds, read from its own folder before anything else touches it.
    const old = await openPglite(join(dataDir, 'pglite'));
    let before: Record<string, string[]>;
    let columns: Record<string, string[]>;
    let balances: { wa_id: string; balance: number }[];
    try {
      columns = await columnsOf(old);
      before = await contents(old, columns);
      balances = (await old.query<{ wa_id: string; balance: string }>(`SELECT wa_id, balance::text FROM users WHERE balance > 0`)).map((u) => ({ wa_id: u.wa_id, balance: Number(u.balance) }));
    } finally {
      await old.close();
    }
    expect(before.orders!.length).toBeGreaterThanOrEqual(10);
    expect(balances.length).toBeGreaterThanOrEqual(3);

    // The first command on the new version (here `verify`) opens the store: carried over, then checked.
    const verified = await cliIn(env(dataDir), ['verify']);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('all invariants hold');
    expect(verified.err).toMatch(/carried over from PGlite/);
    const kept = readdirSync(dataDir).filter((f) => f.startsWith('pglite.carried-over-'));
    expect([kept.length, readdirSync(dataDir).includes('pglite')]).toEqual([1, false]);
    // Every row of every table, as PostgreSQL writes it as JSON, and nothing else.
    const after = await withEmbedded(loadConfig({ DATA_DIR: dataDir }), (db) => contents(db, columns));
    expect(after).toEqual(before);

    // The bot opens it and goes on: each buyer's balance and history as the chat shows them, a new sale.
    const k = await spawnKedai(env(dataDir));
    running.push(k);
    for (const { wa_id, balance } of balances) await ask(k, wa_id, '.saldo', (r) => r.includes(rupiah(balance)));
    const b1 = '6281211110001';
    const history = await ask(k, b1, '.riwayat', (r) => r.includes('KD-'));
    for (const id of oldOrdersOf(before, b1).slice(0, 3)) expect(history).toContain(id);
    // The role price the seller set (12,000 for resellers) came along; the order numbers go on without a clash.
    await ask(k, ADMIN, '.addstok LAMA1\nBARU-AKUN-1', (r) => r.includes('LAMA1'));
    const reseller = '6281211110002';
    const reseller0 = balances.find((b) => b.wa_id === reseller)!.balance;
    await ask(k, reseller, '.buy LAMA1', (r) => r.includes('BARU-AKUN-1'));
    await ask(k, reseller, '.saldo', (r) => r.includes(rupiah(reseller0 - 12_000)));
    await k.stop();
    running.pop();
    expect(await withEmbedded(loadConfig({ DATA_DIR: dataDir }), (db) => verifyInvariants(db))).toEqual([]);
  }, 120_000);

  it('its backup (`npx kedai backup` of that version, a PGlite folder .tar.gz) is restored into an empty DATA_DIR and carried over at the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kedai-upgrade-restore-'));
    const file = `${dataDir}.tar.gz`;
    writeFileSync(file, gzipSync(fixture('pglite-backup-554241f.tar.br')));
    const restored = await cliIn(env(dataDir), ['restore', file]);
    expect(restored).toMatchObject({ code: 0, err: '' });
    expect(restored.out).toMatch(/restored .* [1-9]\d* orders; the next start carries it into the embedded PostgreSQL server/);
    const k = await spawnKedai(env(dataDir));
    running.push(k);
    await ask(k, '6281211110005', '.riwayat', (r) => r.includes('KD-'));
    await ask(k, '6281211110001', '.saldo', (r) => /Rp[1-9]/.test(r));
    expect(readdirSync(dataDir).filter((f) => f.startsWith('pglite.carried-over-'))).toHaveLength(1);
  }, 120_000);
});

/** The public ids of a buyer's orders in the old store's rows, newest first. */
function oldOrdersOf(before: Record<string, string[]>, waId: string): string[] {
  const users = before.users!.map((r) => JSON.parse(r) as { id: number; wa_id: string });
  const id = users.find((u) => u.wa_id === waId)!.id;
  return before
    .orders!.map((r) => JSON.parse(r) as { public_id: string; user_id: number; created_at: string })
    .filter((o) => o.user_id === id)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map((o) => o.public_id);
}
