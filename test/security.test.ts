import { request } from 'node:http';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationSignature } from '../src/adapters/midtrans/signature.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { PUBLIC_DASHBOARD_ROUTES } from '../src/http/admin/dashboard.js';
import { SecretGuard } from '../src/http/edge.js';
import { sameSecret } from '../src/secret.js';
import { ADMIN, concurrentBackend, startKedai, type Harness } from './helpers.js';
import { FAKE_KEY } from './fakes/midtrans.js';

const TOKEN = 'security-test-admin-token-0123456789';
const METRICS = 'security-test-metrics-token';

/** A raw HTTP request: the path goes out exactly as written (fetch would normalise dot segments). */
function raw(
  url: string,
  method: string,
  path: string,
  opts: { body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: { ...(opts.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The ways a path can be spelled so that a naive prefix check misses it while a router might still match. */
function spellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const encodeFirst = (s: string) => (s ? `%${s.charCodeAt(0).toString(16)}${s.slice(1)}` : s);
  const encodeAll = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  return [
    path,
    `/${segments.map(encodeFirst).join('/')}`,
    `/${segments.map(encodeAll).join('/')}`,
    `/${segments.map((s) => (s ? `%25${s.charCodeAt(0).toString(16)}${s.slice(1)}` : s)).join('/')}`,
    path.toUpperCase(),
    `/${segments[0]![0]!.toUpperCase()}${path.slice(2)}`,
    `/${path}`,
    path.replace('/', '//'),
    `/x/..${path}`,
    `/${segments[0]}/.${path.slice(segments[0]!.length + 1) || '/'}`,
    `${path}/`,
    `${path};x=1`,
    `/${segments[0]};x${path.slice(segments[0]!.length + 1)}`,
  ];
}

const sample = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => (name.toLowerCase().includes('wa') ? ADMIN : name === 'code' ? 'DEMO' : 'KD-20990101-DEADBEEF')).replace('*', 'x');

describe('a production store seen from outside (Cloud API, a Midtrans key, ADMIN_TOKEN, PostgreSQL)', () => {
  let h: Harness;
  let other: Harness | null = null;

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, {
      WHATSAPP_TRANSPORT: 'cloud',
      WHATSAPP_CLOUD_TOKEN: 'graph-token',
      WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_APP_SECRET: 'app-secret-for-security',
      WHATSAPP_VERIFY_TOKEN: 'verify-token-for-security',
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9/v21.0',
      MIDTRANS_SANDBOX: 'false',
      MIDTRANS_SERVER_KEY: FAKE_KEY,
      MIDTRANS_API_URL: 'http://127.0.0.1:9/v2',
      MIDTRANS_SNAP_URL: 'http://127.0.0.1:9/snap/v1',
      ADMIN_TOKEN: TOKEN,
      METRICS_TOKEN: METRICS,
    });
  });
  afterAll(async () => {
    await other?.kedai.stop();
    await h.stop();
  });

  const login = async (url = h.url, token = TOKEN) => {
    const res = await raw(url, 'POST', '/admin/login', { body: `token=${encodeURIComponent(token)}` });
    const cookie = [res.headers['set-cookie']].flat()[0]?.split(';')[0];
    return { status: res.status, cookie };
  };

  it('refuses every dashboard route without a session, however its path is spelled (every route registered, GET and POST)', async () => {
    // Public by design: each of these checks its own secret (signature, verify token, bearer) or shows nothing private.
    const PUBLIC = new Set(['/', '/healthz', '/readyz', '/metrics', '/webhooks/midtrans', '/webhooks/whatsapp', '/webhooks/digiflazz', '/webhooks/vipreseller', '/qr/:file', ...PUBLIC_DASHBOARD_ROUTES]);
    const guarded = [...new Set(h.kedai.http.registeredRoutes.map((r) => r.url))].filter((u) => !PUBLIC.has(u));
    expect(guarded.length).toBeGreaterThan(15);
    expect(guarded.every((u) => u.startsWith('/admin'))).toBe(true);
    const leaks: string[] = [];
    for (const route of guarded) {
      for (const path of spellings(sample(route))) {
        for (const method of ['GET', 'POST']) {
          const res = await raw(h.url, method, path, method === 'POST' ? { body: 'amount=99000000&reason=x&price=1&_csrf=x' } : {});
          const refused = (res.status >= 400 && res.status < 500) || (res.status === 303 && res.headers.location === '/admin/login');
          if (!refused) leaks.push(`${method} ${path} → ${res.status}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('answers impossible dashboard inputs with a page, never a 500 and never an empty export: an impossible date is a 400 in the store\'s language', async () => {
    const { cookie } = await login();
    const get = (path: string) => raw(h.url, 'GET', path, { headers: { cookie: cookie! } });
    for (const path of ['/admin/orders?from=2026-13-45', '/admin/orders?to=2026-02-30', '/admin/orders.csv?from=2026-13-45', '/admin/orders.csv?to=99999-01-01']) {
      const res = await get(path);
      expect([path, res.status, String(res.headers['content-type'])]).toEqual([path, 400, expect.stringContaining('text/html')]);
      expect(res.body).toContain('tidak valid');
    }
    expect((await get('/admin/reports?from=2026-13-45&to=2026-12-01')).status).toBe(400);
    // A real date still works, and its export is a CSV.
    expect((await get('/admin/orders.csv?from=2026-11-30&to=2026-12-01')).headers['content-type']).toContain('text/csv');
    // A NUL byte (which PostgreSQL text cannot hold) in a search: a 400 page, not a 500.
    expect((await get('/admin/products?q=a%00b')).status).toBe(400);
    expect((await get('/admin/buyers?q=%00')).status).toBe(400);
    // Every page of the dashboard with every query field it might read set to nonsense: never a 500.
    const WEIRD = '?from=2026-13-45&to=x&page=-1e309&before=NaN&orders=1e999&q=%25%00&buyer=abc&status=zzz&code=%F0%9F%98%80';
    const pages = [...new Set(h.kedai.http.registeredRoutes.filter((r) => r.method === 'GET' && r.url.startsWith('/admin')).map((r) => sample(r.url)))];
    const broken: string[] = [];
    for (const path of pages) {
      const res = await get(`${path}${WEIRD}`);
      if (res.status >= 500) broken.push(`${path} → ${res.status}`);
    }
    expect(broken).toEqual([]);
  });

  it('credits nothing through a percent-encoded dashboard path', async () => {
    await h.one(`INSERT INTO users (wa_id, name) VALUES ('6281299990001', 'Target') ON CONFLICT DO NOTHING RETURNING 1`);
    const res = await raw(h.url, 'POST', '/%61dmin/buyers/6281299990001/balance', { body: 'amount=99000000&reason=free' });
    expect(res.status).toBe(401);
    expect(Number((await h.one<{ balance: unknown }>(`SELECT balance FROM users WHERE wa_id = '6281299990001'`)).balance)).toBe(0);
  });

  it('ends a session on logout in every process, and all of them when ADMIN_TOKEN changes', async () => {
    const { status, cookie } = await login();
    expect(status).toBe(303);
    const page = (url: string) => raw(url, 'GET', '/admin/orders', { headers: { cookie: cookie! } });
    expect((await page(h.url)).status).toBe(200);
    // A second process on the same database honours the session, and its end.
    other = await startKedai({ name: 'postgres', open: async () => ({ db: h.db, url: null, drop: async () => undefined }) }, { ADMIN_TOKEN: TOKEN });
    expect((await page(other.url)).status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await page(h.url)).body)![1]!;
    const out = await raw(h.url, 'POST', '/admin/logout', { body: `_csrf=${encodeURIComponent(csrf)}`, headers: { cookie: cookie! } });
    expect(out.status).toBe(303);
    expect((await page(h.url)).headers.location).toBe('/admin/login');
    expect((await page(other.url)).headers.location).toBe('/admin/login');
    // A new token: the old sessions are all gone.
    const fresh = await login();
    await other.kedai.stop();
    other = await startKedai({ name: 'postgres', open: async () => ({ db: h.db, url: null, drop: async () => undefined }) }, { ADMIN_TOKEN: `${TOKEN}-rotated` });
    expect((await raw(other.url, 'GET', '/admin/orders', { headers: { cookie: fresh.cookie! } })).headers.location).toBe('/admin/login');
    expect((await raw(h.url, 'GET', '/admin/orders', { headers: { cookie: fresh.cookie! } })).status).toBe(200);
  });

  it('compares any guess without crashing: other byte lengths, multi-byte characters, nothing at all', async () => {
    for (const guess of ['verifym%C3%A9', '%C3%A9'.repeat(20), '', 'x'.repeat(5000)]) {
      const verify = await raw(h.url, 'GET', `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${guess}&hub.challenge=1`);
      expect(verify.status).toBe(403);
    }
    const metrics = await raw(h.url, 'GET', '/metrics', { headers: { authorization: 'Bearer métricas' } });
    expect(metrics.status).toBe(401);
    expect(sameSecret('é', 'e')).toBe(false);
    expect(sameSecret(undefined, 'e')).toBe(false);
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: rotating it gives no more guesses, and every secret shares the limit', async () => {
    // A fresh address space for this test: the limiter is per process, so use a new kedai.
    const k = await startKedai({ name: 'postgres', open: async () => ({ db: h.db, url: null, drop: async () => undefined }) }, { ADMIN_TOKEN: TOKEN, METRICS_TOKEN: METRICS });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await raw(k.url, 'GET', '/metrics', { headers: { authorization: 'Bearer wrong', 'x-forwarded-for': `10.0.0.${i}` } })).status);
      for (let i = 3; i < 7; i++) {
        statuses.push((await raw(k.url, 'POST', '/admin/login', { body: 'token=wrong', headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Locked out: even the right token waits, and so does the metrics bearer.
      expect((await login(k.url)).status).toBe(429);
      expect((await raw(k.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${METRICS}` } })).status).toBe(429);
    } finally {
      await k.kedai.stop();
    }
  });

  it('sends the security headers: no inline script, no framing, no sniffing, no referrer; HSTS only over https', async () => {
    const res = await raw(h.url, 'GET', '/admin/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // Without TRUST_PROXY a forwarded "https" is not believed.
    const spoofed = await raw(h.url, 'GET', '/admin/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS and upgrade-insecure-requests when a trusted proxy says the request came over https', async () => {
    const k = await startKedai({ name: 'postgres', open: async () => ({ db: h.db, url: null, drop: async () => undefined }) }, { ADMIN_TOKEN: TOKEN, TRUST_PROXY: '1' });
    try {
      const https = await raw(k.url, 'GET', '/admin/login', { headers: { 'x-forwarded-proto': 'https' } });
      expect(https.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(String(https.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      const plain = await raw(k.url, 'GET', '/admin/login');
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await k.kedai.stop();
    }
  });

  it('keeps /metrics behind METRICS_TOKEN', async () => {
    expect((await raw(h.url, 'GET', '/metrics')).status).toBe(401);
    expect((await raw(h.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${METRICS}` } })).body).toContain('kedai_');
  });
});

describe('modes: the demo surfaces only where they are safe', () => {
  it('stops the real process at start, naming the variable, when a real database has no transport or no Midtrans key', async () => {
    const { spawn } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const args = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, args, { env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ADMIN_NUMBERS: ADMIN, REDIS_URL: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const url = 'postgres://postgres@127.0.0.1:1/none';
    const noTransport = await run({ DATABASE_URL: url, MIDTRANS_SERVER_KEY: 'Mid-server-abcdefgh' });
    expect(noTransport.code).toBe(2);
    expect(noTransport.stderr).toContain('WHATSAPP_TRANSPORT');
    const noKey = await run({ DATABASE_URL: url, WHATSAPP_TRANSPORT: 'baileys', MIDTRANS_SERVER_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('MIDTRANS_SERVER_KEY');
  });

  const refusal = (env: Record<string, string>) => loadConfig(env).refusals.join('\n');

  it('refuses a real database without a Midtrans key or a chosen transport, naming the variable', () => {
    expect(refusal({ DATABASE_URL: 'postgres://x@y/z', WHATSAPP_TRANSPORT: 'cloud', WHATSAPP_CLOUD_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '1', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' })).toMatch(/^MIDTRANS_SERVER_KEY/);
    expect(refusal({ DATABASE_URL: 'postgres://x@y/z', MIDTRANS_SERVER_KEY: 'Mid-server-abcdefgh' })).toMatch(/^WHATSAPP_TRANSPORT/);
    // A real transport on the embedded database is a real store too.
    expect(refusal({ WHATSAPP_TRANSPORT: 'baileys' })).toMatch(/^MIDTRANS_SERVER_KEY/);
    // The quick start and an explicit staging set-up start (the latter with warnings).
    expect(refusal({})).toBe('');
    const staging = loadConfig({ DATABASE_URL: 'postgres://x@y/z', WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true' });
    expect(staging.refusals).toEqual([]);
    expect(staging.warnings.join('\n')).toMatch(/MIDTRANS_SANDBOX[\s\S]*WHATSAPP_TRANSPORT=webchat/);
  });

  it('listens on loopback for the demo transports, everywhere for a real one; trusts forwarded headers only when told', () => {
    expect(loadConfig({}).host).toBe('localhost');
    expect(loadConfig({ WHATSAPP_TRANSPORT: 'baileys', MIDTRANS_SERVER_KEY: 'Mid-server-abcdefgh' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });

  it('refuses a short ADMIN_TOKEN, naming it and the command that prints a strong one', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'password' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_TOKEN: 'password' })).toThrow(/ADMIN_TOKEN[\s\S]*npx kedai token/);
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(24) }).adminToken).toHaveLength(24);
  });

  it('makes up the demo admin only for the demo, never on a real WhatsApp transport', () => {
    expect(loadConfig({}).adminNumbers).toEqual(['6280000000001']);
    const real = loadConfig({ WHATSAPP_TRANSPORT: 'baileys', MIDTRANS_SERVER_KEY: 'Mid-server-abcdefgh' });
    expect(real.adminNumbers).toEqual([]);
    expect(real.warnings.join('\n')).toContain('ADMIN_NUMBERS');
  });

  it('normalises ADMIN_NUMBERS like every number an admin types', () => {
    expect(loadConfig({ ADMIN_NUMBERS: '+62 812-3456-7890, 0812 1111 2222, 0062813999888777' }).adminNumbers).toEqual(['6281234567890', '6281211112222', '62813999888777']);
    expect(() => loadConfig({ ADMIN_NUMBERS: 'admin' })).toThrow(/ADMIN_NUMBERS/);
  });

  it('rate-limits guesses per address and overall (a guesser rotating addresses)', () => {
    const guard = new SecretGuard({ perAddress: 3, overall: 10, lockMs: 60_000 });
    const now = 1_000_000;
    expect([1, 2, 3, 4].map(() => guard.check('198.51.100.1', 'no', 'secret', now))).toEqual([false, false, false, null]);
    for (let i = 0; i < 7; i++) expect(guard.check(`203.0.113.${i}`, 'no', 'secret', now)).toBe(false);
    // Ten failures in the window: everyone waits, the right secret too, until the window ends.
    expect(guard.check('192.0.2.77', 'secret', 'secret', now)).toBeNull();
    expect(guard.check('192.0.2.77', 'secret', 'secret', now + 60_000)).toBe(true);
    // One IPv6 customer's /64 is one address.
    const v6 = new SecretGuard({ perAddress: 2, overall: 100, lockMs: 60_000 });
    v6.check('2001:db8:1:2::1', 'no', 'secret', now);
    v6.check('2001:db8:1:2::2', 'no', 'secret', now);
    expect(v6.check('2001:db8:1:2::3', 'secret', 'secret', now)).toBeNull();
  });
});

describe('the demo surfaces on a real database (staging)', () => {
  let h: Harness;
  const dataDir = mkdtempSync(join(tmpdir(), 'kedai-sec-'));
  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { DATA_DIR: dataDir, HOST: '0.0.0.0' });
  });
  afterAll(() => h.stop());

  it('answers the web chat and the sandbox only on this machine: a request relayed by a local proxy or from another address is refused', async () => {
    const body = JSON.stringify({ from: '6281200000001', text: '.menu' });
    const headers = { 'content-type': 'application/json' };
    expect((await raw(h.url, 'POST', '/chat/api/send', { body, headers })).status).toBe(202);
    expect((await raw(h.url, 'POST', '/chat/api/send', { body, headers: { ...headers, 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    expect((await raw(h.url, 'GET', '/chat/api/messages?number=6281200000001', { headers: { 'x-real-ip': '203.0.113.9' } })).status).toBe(403);
    expect((await raw(h.url, 'GET', '/sandbox/midtrans/snap/v4/redirection/x', { headers: { forwarded: 'for=203.0.113.9' } })).status).toBe(403);
    // From another address of this machine (not loopback), as another computer would arrive.
    const { networkInterfaces } = await import('node:os');
    const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (outside) {
      const port = new URL(h.url).port;
      expect((await raw(`http://${outside}:${port}`, 'GET', '/chat')).status).toBe(403);
      expect((await raw(`http://${outside}:${port}`, 'POST', '/chat/api/send', { body, headers })).status).toBe(403);
    }
  });

  it('signs the sandbox with a random key kept in DATA_DIR (mode 0600), so the old constant signs nothing', async () => {
    const key = h.kedai.sandbox!.serverKey;
    expect(key).not.toBe('SB-Mid-server-kedai-local-sandbox');
    expect(key.length).toBeGreaterThan(30);
    expect(statSync(join(dataDir, 'midtrans-sandbox.key')).mode & 0o777).toBe(0o600);
    const body = { order_id: 'KD-20990101-DEADBEEF', status_code: '200', gross_amount: '5000.00', transaction_status: 'settlement', transaction_id: 'x' };
    const forged = { ...body, signature_key: notificationSignature(body.order_id, '200', '5000.00', 'SB-Mid-server-kedai-local-sandbox') };
    expect((await h.post('/webhooks/midtrans', forged)).status).toBe(401);
    const signed = { ...body, signature_key: notificationSignature(body.order_id, '200', '5000.00', key) };
    expect((await h.post('/webhooks/midtrans', signed)).status).toBe(200);
  });

  it('bounds the metric labels whatever buyers type, and shows /metrics without a token only on this machine', async () => {
    const read = async () => (await raw(h.url, 'GET', '/metrics')).body;
    await h.chat('6281200000002', '.menu');
    const before = await read();
    const words = Array.from({ length: 1000 }, (_, i) => `w${i.toString(36)}x${Math.random().toString(36).slice(2, 8)}`);
    for (const w of words) await h.post('/chat/api/send', { from: '6281200000002', text: `.${w}` });
    await h.kedai.settle();
    const after = await read();
    expect(after).not.toContain(words[0]);
    expect(after).toContain('command="unknown"');
    expect(after.length - before.length).toBeLessThan(3_000);
    expect((await raw(h.url, 'GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
  });

  it('serves the web chat and the pay page with their scripts from their own URLs (the CSP allows no inline script)', async () => {
    await h.chat(ADMIN, '.addproduk CSP|Csp|1000');
    await h.chat(ADMIN, '.addstok CSP\nCSP-1');
    await h.chat('6281200000003', '.buynow CSP');
    const link = /http\S+redirection\/\S+/.exec(await h.last('6281200000003'))![0];
    for (const path of ['/chat', new URL(link).pathname]) {
      const page = await raw(h.url, 'GET', path);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<script src=');
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.body).not.toMatch(/ on[a-z]+="/);
      expect(String(page.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
    for (const script of ['/chat/app.js', '/sandbox/midtrans/pay.js']) expect((await raw(h.url, 'GET', script)).headers['content-type']).toContain('javascript');
    await h.chat('6281200000003', '.batal');
  });

  it('opens the demo surfaces to other machines only when DEMO_PUBLIC=true says so', async () => {
    const k = await startKedai({ name: 'postgres', open: async () => ({ db: h.db, url: null, drop: async () => undefined }) }, { DATA_DIR: dataDir, DEMO_PUBLIC: 'true' });
    try {
      const relayed = await raw(k.url, 'POST', '/chat/api/send', { body: JSON.stringify({ from: '6281200000004', text: '.menu' }), headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' } });
      expect(relayed.status).toBe(202);
    } finally {
      await k.kedai.stop();
    }
  });
});
