import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { heldBy, lockDataDir } from '../adapters/postgres/data-lock.js';
import { connectPg, ping, type Database } from '../adapters/postgres/db.js';
import { openEmbeddedStore, quietLog } from '../adapters/postgres/embedded-store.js';
import { pendingMigrations } from '../adapters/postgres/migrate.js';
import { basicAuth } from '../adapters/midtrans/signature.js';
import type { Config } from '../config.js';

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
    return fail(name, `${c.databaseUrl ? 'DATABASE_URL' : c.dataDir} does not answer: ${reason(err)}. Check the address, user, password and that the server runs`);
  } finally {
    await db?.close().catch(() => undefined);
    release();
  }
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
  const sandboxKey = m.serverKey.startsWith('SB-');
  if (sandboxKey === m.isProduction) {
    checks.push(
      fail('midtrans mode', m.isProduction ? 'MIDTRANS_IS_PRODUCTION=true with a sandbox key (SB-…): use the production server key' : 'a production key with MIDTRANS_IS_PRODUCTION unset: set it to true for live money, or use the sandbox key (SB-…)'),
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
  checks.push(ok('midtrans notifications', `set the payment notification URL in the Midtrans dashboard to ${c.publicUrl}/webhooks/midtrans`));
  return checks;
}

async function whatsapp(c: Readonly<Config>): Promise<Check[]> {
  if (c.transport === 'webchat' || c.transport === 'console') {
    return [c.databaseUrl ? warn('whatsapp', `${c.transport}: a demo transport on a real database (staging only)`) : ok('whatsapp', `${c.transport} (the demo)`)];
  }
  if (c.transport === 'baileys') return [ok('whatsapp', 'baileys: pair by the QR in the terminal or at /admin/whatsapp; the session is kept in the database')];
  const w = c.whatsapp;
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
  checks.push(ok('cloud webhook', `in Meta's console set the webhook to ${c.publicUrl}/webhooks/whatsapp with WHATSAPP_VERIFY_TOKEN and subscribe to messages`));
  if (w.verifyToken!.length < 12) checks.push(warn('cloud verify token', 'WHATSAPP_VERIFY_TOKEN is short: use a long random one (npx kedai token)'));
  return checks;
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
export async function diagnose(c: Readonly<Config>): Promise<Check[]> {
  const refusals = c.refusals.map((r) => fail('configuration', r));
  const [db, r, pay, wa] = await Promise.all([database(c), redis(c), midtrans(c), whatsapp(c)]);
  return [...refusals, db, r, ...pay, ...wa, publicUrl(c), ...admins(c)];
}
