/**
 * `npm run bench`: kedai's hot paths against real PostgreSQL and Redis
 * (DATABASE_URL / REDIS_URL, default the local servers), in a fresh database
 * that is dropped afterwards. Prints a table and writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { connectPg } from '../src/adapters/postgres/db.js';
import { loadConfig } from '../src/config.js';
import { createKedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import type { InboundMessage } from '../src/app/ports.js';

const BASE_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
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

/** Runs `total` calls of `one(i)` with `concurrency` in flight; returns per-call latencies (ms) and the wall time. */
async function load(total: number, concurrency: number, one: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await one(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

function redisBenchmarkGet(): number | null {
  try {
    const url = new URL(REDIS_URL);
    const out = execFileSync('redis-benchmark', ['-h', url.hostname, '-p', url.port || '6379', '-t', 'get', '-n', '100000', '-q'], { encoding: 'utf8' });
    const m = /GET: ([\d.]+) requests per second/.exec(out);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function main() {
  const results = await withDatabase(async (url) => {
    const db = connectPg(url, { max: 10 });
    const config = loadConfig({
      PORT: '0',
      DATABASE_URL: url,
      REDIS_URL,
      REDIS_PREFIX: `kedai-bench-${randomBytes(3).toString('hex')}:`,
      ADMIN_NUMBERS: '6280000000001',
      RATE_LIMIT_CMD_PER_MIN: '100000',
      LOG_LEVEL: 'silent',
    });
    const kedai = await createKedai(config, { log: createLogger({ level: 'silent', pretty: false }), db });
    await kedai.start();
    try {
      const redis = kedai.redis!.client;
      while (!kedai.redis!.health.up) await new Promise((r) => setTimeout(r, 20));
      // Count commands (a Lua script is one) and round trips (writes to the socket: auto-pipelining batches a tick's commands).
      let commands = 0;
      let writes = 0;
      const send = redis.sendCommand.bind(redis);
      redis.sendCommand = ((...args: Parameters<typeof send>) => {
        commands++;
        return send(...args);
      }) as typeof redis.sendCommand;
      const stream = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
      const write = stream.write.bind(stream);
      stream.write = (...a: unknown[]) => {
        writes++;
        return write(...a);
      };

      const admin = (text: string, i: number): InboundMessage => ({ id: `b-a-${i}`, from: '6280000000001', name: '', text, at: new Date(), chat: '6280000000001' });
      for (let p = 0; p < 20; p++) {
        await kedai.bot.handle(admin(`.addproduk P${p}|Produk ${p}|${10_000 + p * 500}|Bench`, p * 2));
        await kedai.bot.handle(admin(`.addstok P${p}\n${Array.from({ length: 50 }, (_, i) => `P${p}-ITEM-${i}`).join('\n')}`, p * 2 + 1));
      }
      await kedai.settle();

      // Warm the cache and the JIT.
      const msg = (i: number): InboundMessage => ({ id: `b-${i}`, from: `62811${String(i % 5000).padStart(8, '0')}`, name: '', text: '.produk', at: new Date(), chat: 'bench' });
      await load(2_000, CONCURRENCY, (i) => kedai.bot.handle(msg(1_000_000 + i)));
      commands = 0;
      writes = 0;
      const run = await load(MESSAGES, CONCURRENCY, (i) => kedai.bot.handle(msg(i)));
      const perMessage = writes / MESSAGES;
      const produkPerSecond = MESSAGES / run.seconds;
      const redisGet = redisBenchmarkGet();
      return {
        produk: {
          messages: MESSAGES,
          concurrency: CONCURRENCY,
          perSecond: round(produkPerSecond, 0),
          p50ms: round(percentile(run.latencies, 50), 3),
          p99ms: round(percentile(run.latencies, 99), 3),
          redisRoundTripsPerMessage: round(perMessage, 2),
          redisCommandsPerMessage: round(commands / MESSAGES, 2),
          cacheHitRatio: round(kedai.deps.cache.hits / Math.max(1, kedai.deps.cache.hits + kedai.deps.cache.misses), 4),
        },
        redisBenchmarkGetPerSecond: redisGet,
        produkPerRedisGet: redisGet ? round(produkPerSecond / redisGet, 3) : null,
        node: process.version,
        at: new Date().toISOString(),
      };
    } finally {
      await kedai.stop();
      await db.close();
    }
  });

  const p = results.produk;
  const rows = [
    ['cached .produk (pipeline, transport excluded)', `${p.perSecond} msg/s`, `p50 ${p.p50ms} ms · p99 ${p.p99ms} ms`],
    ['  Redis round trips per message', String(p.redisRoundTripsPerMessage), `${p.redisCommandsPerMessage} commands · cache hit ratio ${p.cacheHitRatio}`],
    ['redis-benchmark GET', results.redisBenchmarkGetPerSecond ? `${results.redisBenchmarkGetPerSecond} ops/s` : 'not installed', ''],
    ['.produk msg/s ÷ redis GET ops/s', String(results.produkPerRedisGet ?? 'n/a'), ''],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  process.stdout.write(`\nkedai bench (${p.messages} messages, ${p.concurrency} in flight, ${results.node})\n`);
  for (const [a, b, c] of rows) process.stdout.write(`${a!.padEnd(width)}  ${b!.padStart(14)}  ${c}\n`);
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('\nwritten: bench/results.json\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
