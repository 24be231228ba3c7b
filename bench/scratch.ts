/* The bench's scratch databases and ports. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { connectPg, type Database } from '../src/adapters/postgres/db.js';
import { createKedai, type Kedai } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';

export const BASE_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Runs `fn` on a fresh database beside BASE_DB, dropped afterwards. */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `kedai_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_DB });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(BASE_DB);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** kedai in this process on the bench database: web chat, the payment sandbox, Redis, limits out of the way; started, Redis connected. */
export async function benchKedai(url: string, db: Database, redisUrl: string, extra: Record<string, string> = {}): Promise<Kedai> {
  const config = loadConfig({
    PORT: String(await freePort()),
    DATABASE_URL: url,
    WHATSAPP_TRANSPORT: 'webchat',
    MIDTRANS_SANDBOX: 'true',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `kedai-bench-${randomBytes(3).toString('hex')}:`,
    ADMIN_NUMBERS: '6280000000001',
    RATE_LIMIT_BUY_PER_MIN: '10000',
    RATE_LIMIT_CMD_PER_MIN: '100000',
    LOG_LEVEL: 'silent',
    ...extra,
  });
  const kedai = await createKedai(config, { log: createLogger({ level: 'silent', pretty: false }), db });
  await kedai.start();
  while (!kedai.redis!.health.up) await new Promise((r) => setTimeout(r, 20));
  return kedai;
}

/**
 * What the busy database connections wait on, sampled every 10 ms from `url` until `stop`,
 * as shares of all samples (the top six), e.g. `Lock:transactionid` or `CPU (running)`.
 */
export function sampleWaits(url: string): { stop(): Promise<Record<string, number>> } {
  const waits = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    const probe = connectPg(url, { max: 1 });
    while (sampling) {
      const rows = await probe.query<{ w: string; n: unknown }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU (running)') AS w, count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1`,
      );
      for (const r of rows) waits.set(r.w, (waits.get(r.w) ?? 0) + Number(r.n));
      await new Promise((r) => setTimeout(r, 10));
    }
    await probe.close();
  })();
  return {
    async stop() {
      sampling = false;
      await sampler;
      const total = [...waits.values()].reduce((a, b) => a + b, 0) || 1;
      return Object.fromEntries([...waits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, Math.round((v / total) * 1000) / 1000]));
    },
  };
}
