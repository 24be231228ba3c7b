import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { connectPg, type Database } from '../src/adapters/postgres/db.js';
import { loadConfig } from '../src/config.js';
import { createKedai, type Kedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import { runCli } from '../src/cli/main.js';
import { textsFor } from '../src/i18n/index.js';
import type { ErrorCode } from '../src/domain/errors.js';

export const ADMIN = '6280000000009';

/** The database engine the suites run on: PostgreSQL (DATABASE_URL, or the embedded server test/global-setup.ts starts). */
export interface Backend {
  name: 'postgres';
  open(): Promise<{ db: Database; url: string | null; drop(): Promise<void> }>;
}

/** One fresh database per suite on the server, dropped afterwards. */
export const postgres: Backend = {
  name: 'postgres',
  async open() {
    const base = process.env.DATABASE_URL!;
    const name = `kedai_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = connectPg(url.toString(), { max: 20 });
    return {
      db,
      url: url.toString(),
      async drop() {
        await db.close();
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  },
};

/** One engine: every suite runs on PostgreSQL. */
export const backends: Backend[] = [postgres];
export const concurrentBackend: Backend = postgres;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Harness {
  kedai: Kedai;
  db: Database;
  url: string;
  /** Sends as `from` through the web chat API, then waits until the bot and the outbox are quiet. */
  chat(from: string, text: string, name?: string): Promise<void>;
  /** Outbound texts to `number`, oldest first. */
  sentTo(number: string): Promise<string[]>;
  last(number: string): Promise<string>;
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export async function startKedai(
  backend: Backend,
  env: Record<string, string> = {},
  opts: { wrapDb?: (db: Database) => Database; logLines?: string[]; /** Another kedai's database (a restart after a kill): kept at stop. */ sameDb?: Database } = {},
): Promise<Harness> {
  const { db: opened, drop } = opts.sameDb ? { db: opts.sameDb, drop: async () => undefined } : await backend.open();
  const db = opts.wrapDb ? opts.wrapDb(opened) : opened;
  const log = opts.logLines
    ? createLogger({ level: 'info', pretty: false, destination: { write: (line: string) => void opts.logLines!.push(line) } })
    : createLogger({ level: 'silent', pretty: false });
  // A free port can be taken by a test in another worker before we listen: then try another
  // (unless the caller chose the port, e.g. for a fake that calls back).
  let kedai: Kedai | null = null;
  let config: ReturnType<typeof loadConfig> | null = null;
  for (let attempt = 1; !kedai; attempt++) {
    // Suites that are not about rate limits send more than a person would; the guards suite sets its own limits.
    config = loadConfig({
      PORT: String(await freePort()),
      ADMIN_NUMBERS: ADMIN,
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://unused',
      // Staging-style: a real database with the web chat and the payment sandbox, chosen explicitly.
      WHATSAPP_TRANSPORT: 'webchat',
      MIDTRANS_SANDBOX: 'true',
      RATE_LIMIT_BUY_PER_MIN: '10000',
      RATE_LIMIT_CMD_PER_MIN: '10000',
      ...env,
    });
    const candidate = await createKedai(config, { log, db });
    try {
      await candidate.start();
      kedai = candidate;
    } catch (err) {
      await candidate.stop().catch(() => undefined);
      if ((err as { code?: string }).code !== 'EADDRINUSE' || env.PORT || attempt >= 5) throw err;
    }
  }
  const url = `http://127.0.0.1:${config!.port}`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const sentTo = async (number: string) => {
    const res = await fetch(`${url}/chat/api/messages?number=${number}`);
    const { messages } = (await res.json()) as { messages: { direction: string; text: string }[] };
    return messages.filter((m) => m.direction === 'out').map((m) => m.text);
  };
  return {
    kedai,
    db,
    url,
    post,
    sentTo,
    async chat(from, text, name = '') {
      const res = await post('/chat/api/send', { from, name, text });
      if (res.status !== 202) throw new Error(`send failed: ${res.status}`);
      await kedai.settle();
    },
    async last(number) {
      return (await sentTo(number)).at(-1) ?? '';
    },
    async one(sql, params) {
      return (await db.query(sql, params))[0] as never;
    },
    async stop() {
      await kedai.stop();
      await drop();
    },
  };
}

/** Runs the CLI in this process with `env` laid over the environment; what it printed, and its exit code. */
export async function cliIn(env: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env, { LOG_LEVEL: 'silent' });
  const [out, err]: [string[], string[]] = [[], []];
  const [writeOut, writeErr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await runCli(args), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.env = saved;
  }
}

/** Logs in to the dashboard with `token`; a GET of an admin page as that session. */
export async function adminSession(h: Harness, token: string): Promise<(path: string) => Promise<string>> {
  const login = await fetch(`${h.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (path) => (await fetch(`${h.url}${path}`, { headers: { cookie } })).text();
}

/** Creates a product with the given stock items through the admin chat commands. */
export async function stockProduct(h: Harness, code: string, price: number, items: string[]): Promise<void> {
  await h.chat(ADMIN, `.addproduk ${code}|Produk ${code}|${price}|Deskripsi ${code}`);
  await h.chat(ADMIN, `.addstok ${code}\n${items.join('\n')}`);
}

export const orderIdIn = (text: string): string => {
  const m = /KD-\d{8}-[0-9A-F]{8}/.exec(text);
  if (!m) throw new Error(`no order id in: ${text}`);
  return m[0];
};

/** What the bot answers (in Indonesian, prefix `.`) for a domain error: for assertions where the wording is not the point. */
export const said = (code: ErrorCode, params: Record<string, string | number> = {}): string => textsFor('id').error(code, params, '.');
