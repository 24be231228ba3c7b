import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { heldBy, lockDataDir } from '../adapters/postgres/data-lock.js';
import { connectPg, ping, type Database } from '../adapters/postgres/db.js';
import { openEmbeddedStore, quietLog } from '../adapters/postgres/embedded-store.js';
import { pendingMigrations } from '../adapters/postgres/migrate.js';
import { askRunningBot, botListens, doctorReport, storeDoctorReport } from '../adapters/postgres/doctor-reports.js';
import { openStore, runningBot } from './context.js';
import { basicAuth } from '../adapters/midtrans/signature.js';
import type { Config } from '../config.js';
import { vipResellerSupplier } from '../adapters/vipreseller/client.js';
import { digiflazzSupplier } from '../adapters/digiflazz/client.js';
import { formatRupiah } from '../domain/money.js';

/** One line of the doctor's report: ok, a warning (works, but look), or a failure with the fix. */
export interface Check {
  name: string;
  verdict: 'ok' | 'warn' | 'fail';
  detail: string;
}

const ok = (name: string, detail: string): Check => ({ name, verdict: 'ok', detail });
const warn = (name: string, detail: string): Check => ({ name, verdict: 'warn', detail });
const fail = (name: string, detail: string): Check => ({ name, verdict: 'fail', detail });
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 160);
const TIMEOUT = 5_000;

async function database(c: Readonly<Config>): Promise<Check> {
  const name = 'database';
  if (!c.databaseUrl) {
    const bot = heldBy(c.dataDir);
    if (bot?.role === 'bot' && bot.port) {
      // The running bot holds the embedded store: ask it.
      const ready = await fetch(`http://127.0.0.1:${bot.port}/readyz`, { signal: AbortSignal.timeout(TIMEOUT) }).catch(() => null);
      if (!ready) return fail(name, `the running kedai (process ${bot.pid}, port ${bot.port}) holds ${c.dataDir} but does not answer: restart it`);
      return ready.ok ? ok(name, `embedded in ${c.dataDir}, served by the running kedai (process ${bot.pid}); migrations up to date`) : fail(name, `the running kedai answers /readyz with ${ready.status}: see its log`);
    }
    if (bot) return warn(name, `embedded in ${c.dataDir}, in use by a kedai command (process ${bot.pid}); run the doctor again when it is done`);
  }
  // The doctor never creates a store, and opens an embedded one only under its lock.
  if (!c.databaseUrl && !existsSync(join(c.dataDir, 'postgres', 'PG_VERSION')) && !existsSync(join(c.dataDir, 'pglite', 'PG_VERSION'))) return ok(name, `embedded in ${c.dataDir}, not created yet: npm start creates it`);
  let db: Database | null = null;
  let release = () => undefined as void;
  try {
    const started = performance.now();
    if (!c.databaseUrl) release = lockDataDir(c.dataDir, 'cli');
    db = c.databaseUrl ? connectPg(c.databaseUrl, { max: 1 }) : await openEmbeddedStore(c.dataDir, quietLog);
    await ping(db);
    const ms = Math.round(performance.now() - started);
    const pending = await pendingMigrations(db);
    const where = c.databaseUrl ? 'PostgreSQL' : `embedded in ${c.dataDir}`;
    return pending.length
      ? warn(name, `${where} reachable (${ms} ms); ${pending.length} migration(s) pending: they run at start, or now with npx kedai migrate`)
      : ok(name, `${where} reachable (${ms} ms); migrations up to date`);
  } catch (err) {
    return fail(name, databaseFix(c, err));
  } finally {
    await db?.close().catch(() => undefined);
    release();
  }
}

/** What to do about a database that does not answer, by what PostgreSQL or the network said. */
function databaseFix(c: Readonly<Config>, err: unknown): string {
  const where = c.databaseUrl ? 'DATABASE_URL' : c.dataDir;
  const code = (err as { code?: string }).code;
  const dbName = c.databaseUrl ? decodeURIComponent(new URL(c.databaseUrl).pathname.slice(1)) : 'kedai';
  if (code === '3D000') return `the database ${dbName} does not exist on that server: create it (sudo -u postgres createdb ${dbName}, or CREATE DATABASE ${dbName};), then run the doctor again`;
  if (code === '28P01' || code === '28000') return `${where}: the server refused the user or password (${reason(err)}): check them in DATABASE_URL`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') return `${where}: no PostgreSQL server answers at that address (${code}): start it, or fix the host and port`;
  return `${where} does not answer: ${reason(err)}. Check the address, user, password and that the server runs`;
}

async function redis(c: Readonly<Config>): Promise<Check> {
  if (!c.redisUrl) return ok('redis', 'not used (one process: limits, locks and cache in memory); set REDIS_URL when several processes run');
  const client = new Redis(c.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: TIMEOUT, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const started = performance.now();
    await client.ping();
    return ok('redis', `reachable (${Math.round(performance.now() - started)} ms)`);
  } catch (err) {
    return fail('redis', `REDIS_URL does not answer: ${reason(err)} (kedai keeps selling without it, per process)`);
  } finally {
    client.disconnect();
  }
}

/** A status call for an order that cannot exist: a valid key gets 404, a wrong one 401. */
async function midtrans(c: Readonly<Config>): Promise<Check[]> {
  const m = c.midtrans;
  if (m.sandbox) {
    return [c.databaseUrl || (c.transport !== 'webchat' && c.transport !== 'console') ? warn('midtrans', 'the built-in sandbox takes the payments (MIDTRANS_SANDBOX=true): no money is real') : ok('midtrans', 'the built-in sandbox (the embedded demo)')];
  }
  const checks: Check[] = [];
  // Midtrans server keys look like `SB-Mid-server-…` (sandbox) or `Mid-server-…` (production): only a key of
  // one of those shapes says which mode it belongs to; anything else is not a server key at all.
  const shape = /^SB-Mid-server-[\w-]+$/.test(m.serverKey) ? 'sandbox' : /^Mid-server-[\w-]+$/.test(m.serverKey) ? 'production' : null;
  if (shape === null) {
    checks.push(fail('midtrans mode', 'MIDTRANS_SERVER_KEY is not a Midtrans server key (those start with SB-Mid-server- in the sandbox, Mid-server- in production): copy the Server Key from Settings → Access Keys'));
  } else if ((shape === 'production') !== m.isProduction) {
    checks.push(
      fail('midtrans mode', m.isProduction ? 'MIDTRANS_IS_PRODUCTION=true with a sandbox key (SB-Mid-server-…): use the production Server Key' : 'a production Server Key (Mid-server-…) with MIDTRANS_IS_PRODUCTION unset: set MIDTRANS_IS_PRODUCTION=true for live money, or use the sandbox key'),
    );
  } else checks.push(ok('midtrans mode', m.isProduction ? 'production (live money)' : 'sandbox (test money)'));
  const res = await fetch(`${m.apiUrl}/kedai-doctor-${randomBytes(6).toString('hex')}/status`, {
    headers: { Authorization: basicAuth(m.serverKey), Accept: 'application/json', 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT),
  }).catch((err: unknown) => err as Error);
  if (res instanceof Error) return [...checks, fail('midtrans key', `${m.apiUrl} unreachable: ${reason(res)}`)];
  const body = (await res.json().catch(() => ({}))) as { status_code?: string };
  const code = Number(body.status_code ?? res.status);
  if (code === 404) checks.push(ok('midtrans key', 'accepted'));
  else if (code === 401) checks.push(fail('midtrans key', 'refused (401): set MIDTRANS_SERVER_KEY to the server key from the Midtrans dashboard (Settings → Access keys) of the same environment'));
  else checks.push(warn('midtrans key', `unexpected answer ${code} to a status call`));
  checks.push(callsIn(c, 'midtrans notifications', `in the Midtrans dashboard (Settings → Payment → Notification URL) set ${c.publicUrl}/webhooks/midtrans`));
  return checks;
}

async function whatsapp(c: Readonly<Config>): Promise<Check[]> {
  if (c.transport === 'webchat' || c.transport === 'console') {
    return [c.databaseUrl ? warn('whatsapp', `${c.transport}: a demo transport on a real database (staging only)`) : ok('whatsapp', `${c.transport} (the demo)`)];
  }
  if (c.transport === 'baileys') return [ok('whatsapp', 'baileys: pair by the QR in the terminal or at /admin/whatsapp; the session is kept in the database')];
  const w = c.whatsapp;
  if (!w.cloudToken || !w.phoneNumberId) return [fail('cloud token', 'WHATSAPP_CLOUD_TOKEN and WHATSAPP_PHONE_NUMBER_ID are needed to check the number (Meta app → WhatsApp → API setup)')];
  const res = await fetch(`${w.graphUrl}/${encodeURIComponent(w.phoneNumberId!)}?fields=display_phone_number,verified_name`, {
    headers: { Authorization: `Bearer ${w.cloudToken}` },
    signal: AbortSignal.timeout(TIMEOUT),
  }).catch((err: unknown) => err as Error);
  const checks: Check[] = [];
  if (res instanceof Error) checks.push(fail('cloud token', `${w.graphUrl} unreachable: ${reason(res)}`));
  else if (res.ok) {
    const body = (await res.json().catch(() => ({}))) as { display_phone_number?: string; verified_name?: string };
    checks.push(ok('cloud token', `valid for ${body.display_phone_number ?? w.phoneNumberId}${body.verified_name ? ` (${body.verified_name})` : ''}`));
  } else {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: number; message?: string } };
    const code = body.error?.code;
    checks.push(
      fail(
        'cloud token',
        code === 190 || res.status === 401
          ? 'WHATSAPP_CLOUD_TOKEN refused (190): make a permanent token for a system user with whatsapp_business_messaging'
          : code === 100 || res.status === 404
            ? `WHATSAPP_PHONE_NUMBER_ID ${w.phoneNumberId} is not a phone number id this token can see`
            : `Graph answered ${res.status}${code ? ` (${code})` : ''}: ${body.error?.message ?? ''}`,
      ),
    );
  }
  checks.push(callsIn(c, 'cloud webhook', `in Meta's console (WhatsApp → Configuration) set the callback URL ${c.publicUrl}/webhooks/whatsapp with WHATSAPP_VERIFY_TOKEN, and subscribe to messages`));
  if ((w.verifyToken ?? '').length < 12) checks.push(warn('cloud verify token', 'WHATSAPP_VERIFY_TOKEN is short: use a long random one (npx kedai token)'));
  return checks;
}

/** A URL an outside service must call: only worth setting once PUBLIC_URL is an address it can reach. */
function callsIn(c: Readonly<Config>, name: string, what: string): Check {
  const host = (() => {
    try {
      return new URL(c.publicUrl).hostname;
    } catch {
      return '';
    }
  })();
  if (['localhost', '127.0.0.1', '[::1]', ''].includes(host)) return fail(name, `PUBLIC_URL (${c.publicUrl}) is not reachable from the internet, so the service cannot call kedai: set PUBLIC_URL first; then ${what}`);
  return ok(name, what);
}

/** Digiflazz: the deposit asked with the configured key (this server's IP must be whitelisted), and where its callbacks go. */
async function supplierChecks(c: Readonly<Config>): Promise<Check[]> {
  const s = c.supplier;
  if (s.kind === 'none') return [ok('digiflazz', 'not used (no top-up supplier: set DIGIFLAZZ_USERNAME and DIGIFLAZZ_API_KEY to sell top-ups)')];
  if (s.kind === 'sandbox') return [ok('digiflazz', 'the built-in sandbox (the demo): no top-up is real')];
  const supplier = digiflazzSupplier({ username: s.username, apiKey: s.apiKey, url: s.url, testing: s.testing, timeoutMs: TIMEOUT });
  const checks: Check[] = [];
  try {
    const deposit = await supplier.balance();
    checks.push(deposit < s.lowBalance ? warn('digiflazz', `key accepted; the deposit is ${formatRupiah(deposit)}, below SUPPLIER_LOW_BALANCE: top it up before selling`) : ok('digiflazz', `key accepted; deposit ${formatRupiah(deposit)}`));
  } catch (err) {
    const why = reason(err);
    checks.push(
      fail(
        'digiflazz',
        /rc 45/.test(why)
          ? `Digiflazz refused this server's IP (${why}): add the server's public IP in Atur Koneksi → API → Whitelist IP`
          : /rc 41/.test(why)
            ? `Digiflazz refused the key (${why}): set DIGIFLAZZ_API_KEY to the ${s.testing ? 'development' : 'production'} key of DIGIFLAZZ_USERNAME (Atur Koneksi → API)`
            : `Digiflazz did not give the deposit: ${why}`,
      ),
    );
  }
  checks.push(
    s.webhookSecret
      ? callsIn(c, 'digiflazz webhook', `in Atur Koneksi → API → Webhook set ${c.publicUrl}/webhooks/digiflazz with the secret in DIGIFLAZZ_WEBHOOK_SECRET`)
      : warn('digiflazz webhook', `DIGIFLAZZ_WEBHOOK_SECRET unset: callbacks are not trusted, each only brings its re-check forward; set a secret there and at ${c.publicUrl}/webhooks/digiflazz`),
  );
  return checks;
}

/** VIP-Reseller: the balance asked with the configured ID and key, and where its callbacks go. */
async function vipChecks(c: Readonly<Config>): Promise<Check[]> {
  const v = c.vip;
  if (v.kind !== 'vipreseller') return [];
  try {
    const balance = await vipResellerSupplier({ apiId: v.apiId, apiKey: v.apiKey, url: v.url, timeoutMs: TIMEOUT }).balance();
    return [ok('vip-reseller', `key accepted; balance ${formatRupiah(balance)}`), callsIn(c, 'vip-reseller callback', `set ${c.publicUrl}/webhooks/vipreseller as the callback URL in VIP-Reseller's API page`)];
  } catch (err) {
    return [fail('vip-reseller', `VIP-Reseller did not give the balance (check VIPRESELLER_API_ID and VIPRESELLER_API_KEY, and its IP whitelist): ${reason(err)}`)];
  }
}

function publicUrl(c: Readonly<Config>): Check {
  const real = c.databaseUrl !== null || c.transport === 'cloud' || c.transport === 'baileys';
  let url: URL;
  try {
    url = new URL(c.publicUrl);
  } catch {
    return fail('public url', `PUBLIC_URL ${c.publicUrl} is not a URL`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!real) return ok('public url', `${c.publicUrl} (the demo)`);
  if (local) return fail('public url', `PUBLIC_URL is ${c.publicUrl}: buyers' phones and Midtrans cannot reach it; set the store's https address`);
  if (url.protocol !== 'https:') return warn('public url', `${c.publicUrl} is not https: payment pages and webhooks should go over https`);
  return ok('public url', c.publicUrl);
}

function admins(c: Readonly<Config>): Check[] {
  return [
    c.adminNumbers.length ? ok('admins', `${c.adminNumbers.length} admin number(s)`) : fail('admins', 'ADMIN_NUMBERS is empty: nobody can run the admin commands'),
    c.adminToken ? ok('dashboard', 'ADMIN_TOKEN set: /admin is open to it') : warn('dashboard', 'ADMIN_TOKEN unset: the dashboard at /admin is off (npx kedai token prints one)'),
  ];
}

/** Checks the configuration against the live services; every check, in order. */
export async function diagnose(c: Readonly<Config>, unreadable: readonly string[] = []): Promise<Check[]> {
  const refusals = [...unreadable, ...c.refusals].map((r) => fail('configuration', r));
  const [db, r, pay, wa, sup, vip] = await Promise.all([database(c), redis(c), midtrans(c), whatsapp(c), supplierChecks(c), vipChecks(c)]);
  return [...refusals, db, r, ...pay, ...wa, ...sup, ...vip, publicUrl(c), ...admins(c)];
}

/** The running bot's side: the checks with its own configuration, stored for the doctor that asked. */
export async function answerDoctor(c: Readonly<Config>, db: Database, requestId: string, log: { warn(obj: object, msg?: string): void }): Promise<void> {
  if (!/^[a-f0-9]{8,64}$/.test(requestId)) return;
  try {
    await storeDoctorReport(db, requestId, process.pid, await diagnose(c));
  } catch (err) {
    log.warn({ err: reason(err) }, 'the doctor asked for a report that could not be made');
  }
}

/**
 * The running kedai's own checks, when one runs on this configuration's store (the embedded
 * bot holding DATA_DIR, or a kedai listening on DATABASE_URL's database): asked through the
 * store, answered within 15 s. null when none runs (or none answered).
 */
export async function askTheRunningKedai(c: Readonly<Config>): Promise<{ pid: number; checks: Check[] } | null> {
  if (!c.databaseUrl && !runningBot(c.dataDir)) return null;
  const store = c.databaseUrl ? ((db) => ({ db, close: () => db.close() }))(connectPg(c.databaseUrl, { max: 1 })) : await openStore(c);
  try {
    if (c.databaseUrl && !(await botListens(store.db))) return null;
    const requestId = randomBytes(8).toString('hex');
    await askRunningBot(store.db, requestId);
    return await doctorReport<Check[]>(store.db, requestId, 15_000);
  } finally {
    await store.close();
  }
}
