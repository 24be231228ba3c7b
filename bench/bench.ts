/**
 * `npm run bench`: kedai's hot paths against real PostgreSQL and Redis
 * (DATABASE_URL / REDIS_URL, default the local servers), in a fresh database
 * that is dropped afterwards. Prints a table and writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connectPg } from '../src/adapters/postgres/db.js';
import type { InboundMessage } from '../src/app/ports.js';
import type { WebChatTransport } from '../src/adapters/whatsapp/webchat.js';
import { cloudBench } from './cloud.js';
import { kedaiProcessRss } from './rss.js';
import { dashboardBench } from './dashboard.js';
import { embeddedBench } from './embedded.js';
import { BASE_DB, benchKedai, freePort, sampleWaits, withDatabase } from './scratch.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;


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

/** pgbench TPC-B-like TPS on a scratch database beside ours (scale 8, 8 clients, 2 threads, 20 s). */
function pgbenchTps(): number | null {
  const url = new URL(BASE_DB);
  const name = `kedai_pgbench_${randomBytes(3).toString('hex')}`;
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  try {
    execFileSync('psql', [...conn, '-d', url.pathname.slice(1) || 'postgres', '-qc', `CREATE DATABASE ${name}`], { stdio: 'ignore' });
    execFileSync('pgbench', [...conn, '-i', '-q', '-s', '8', name], { stdio: 'ignore' });
    const out = execFileSync('pgbench', [...conn, '-c', '8', '-j', '2', '-T', String(Number(process.env.BENCH_PGBENCH_SECONDS ?? 20)), name], { encoding: 'utf8' });
    const m = /tps = ([\d.]+)/.exec(out);
    return m ? Math.round(Number(m[1])) : null;
  } catch {
    return null;
  } finally {
    try {
      execFileSync('psql', [...conn, '-d', url.pathname.slice(1) || 'postgres', '-qc', `DROP DATABASE IF EXISTS ${name}`], { stdio: 'ignore' });
    } catch {
      /* nothing to clean */
    }
  }
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

/** The node arguments of `npm start` (its memory flags included), so the bench measures what operators run. */
const startArgs = (): string[] => (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);

async function main() {
  const results = await withDatabase(async (url) => {
    const db = connectPg(url, { max: 10 });
    const kedai = await benchKedai(url, db, REDIS_URL);
    const config = kedai.config;
    try {
      const redis = kedai.redis!.client;
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

      // Balance purchases: funded buyers, one `.buy` each in flight, straight through the pipeline.
      const BUYERS = 256;
      const PURCHASES = Number(process.env.BENCH_PURCHASES ?? 3_000);
      const buyerOf = (i: number) => `62822${String(i % BUYERS).padStart(8, '0')}`;
      for (let b = 0; b < BUYERS; b++) await kedai.bot.handle(admin(`.addsaldo ${buyerOf(b)} 50000000`, 10_000 + b));
      await kedai.bot.handle(admin(`.addproduk BAL|Balance bench|1000`, 20_000));
      for (let chunk = 0; chunk < PURCHASES + 2_500; chunk += 2_000) {
        await kedai.bot.handle(admin(`.addstok BAL\n${Array.from({ length: 2_000 }, (_, i) => `BAL-${chunk + i}`).join('\n')}`, 20_001 + chunk));
      }
      await kedai.settle();
      const buy = (i: number): InboundMessage => ({ id: `bb-${i}`, from: buyerOf(i), name: '', text: '.buy BAL', at: new Date(), chat: buyerOf(i) });
      const soldBefore = Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'sold'`))[0]?.n);
      // Where the time goes: what the busy connections wait on, sampled every 10 ms during the run.
      const waiting = sampleWaits(url);
      const purchases = await load(PURCHASES, Math.min(CONCURRENCY, BUYERS / 4), (i) => kedai.bot.handle(buy(i)));
      const oneProductWaits = await waiting.stop();
      const sold = Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'sold'`))[0]?.n) - soldBefore;
      await kedai.settle();

      // The same purchases with 100k more users in the table: the cost must not grow with it.
      // Measured as two equal samples, right before and after the bulk insert (vacuumed, as autovacuum would).
      const LATER = 1_000;
      const soldCount = async () => Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'sold'`))[0]?.n);
      const sample = async (tag: string) => {
        const before = await soldCount();
        const run = await load(LATER, Math.min(CONCURRENCY, BUYERS / 4), (i) => kedai.bot.handle({ ...buy(PURCHASES + i), id: `${tag}-${i}` }));
        await kedai.settle();
        return ((await soldCount()) - before) / run.seconds;
      };
      const usersSmall = await sample('bb1');
      await db.query(`INSERT INTO users (wa_id, name) SELECT '6299' || lpad(g::text, 9, '0'), 'bulk' FROM generate_series(1, 100000) g`);
      await db.exec('VACUUM ANALYZE users');
      const usersBig = await sample('bb2');
      const soldBig = LATER;
      const purchasesBig = { seconds: LATER / usersBig };
      await kedai.settle();

      // And with 1k vs 100k items of the product on sale: the claim must not care. Both products are
      // stocked first and the bulk inserts' aftermath (checkpoint, autovacuum) settled before either is
      // measured, then the two are measured in turn, twice each, 400 orders a turn (800 of the smaller product's 1,000): a single
      // 300-order sample took ~70 ms, so one checkpoint falling in it moved the figure by 20%.
      const perStockSize: Record<string, number> = {};
      const stocked = new Map<number, unknown>();
      for (const size of [1_000, 100_000]) {
        const code = `STK${size}`;
        await kedai.bot.handle(admin(`.addproduk ${code}|Stock ${size}|1000`, 50_000 + size));
        const [{ id } = { id: 0 }] = await db.query<{ id: unknown }>('SELECT id FROM products WHERE code = $1', [code]);
        await db.query('UPDATE products SET stock_added = $2 WHERE id = $1', [id, size]);
        await db.query(`INSERT INTO stock_items (product_id, payload, position) SELECT $1, $3 || g, g FROM generate_series(1, $2::int) g`, [id, size, `${code}-`]);
        stocked.set(size, id);
      }
      await kedai.deps.cache.invalidate(['catalogue']);
      await db.query('VACUUM ANALYZE stock_items');
      await db.query('CHECKPOINT').catch(() => undefined); // a superuser's: elsewhere the measure runs without it
      const taken = new Map<number, { sold: number; seconds: number }>();
      for (const turn of [0, 1]) {
        for (const size of [1_000, 100_000]) {
          const id = stocked.get(size);
          const soldOf = async () => Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE product_id = $1 AND status = 'sold'`, [id]))[0]?.n);
          const before = await soldOf();
          const run = await load(400, Math.min(CONCURRENCY, BUYERS / 4), (i) =>
            kedai.bot.handle({ id: `stk-${size}-${turn}-${i}`, from: buyerOf(i), name: '', text: `.buy STK${size}`, at: new Date(), chat: buyerOf(i) }),
          );
          const sum = taken.get(size) ?? { sold: 0, seconds: 0 };
          taken.set(size, { sold: sum.sold + (await soldOf()) - before, seconds: sum.seconds + run.seconds });
        }
      }
      for (const [size, { sold, seconds }] of taken) perStockSize[String(size)] = round(sold / seconds, 0);
      await kedai.settle();

      // Purchases spread over 16 products, as in a store (pgbench spreads its writes over 8 branches too).
      const SPREAD = 16;
      const spreadIds: unknown[] = [];
      for (let k = 0; k < SPREAD; k++) {
        await kedai.bot.handle(admin(`.addproduk SPR${k}|Spread ${k}|1000`, 60_000 + k));
        const [{ id } = { id: 0 }] = await db.query<{ id: unknown }>('SELECT id FROM products WHERE code = $1', [`SPR${k}`]);
        spreadIds.push(id);
        await db.query('UPDATE products SET stock_added = 2000 WHERE id = $1', [id]);
        await db.query(`INSERT INTO stock_items (product_id, payload, position) SELECT $1, $2 || g, g FROM generate_series(1, 2000) g`, [id, `SPR-${k}-`]);
      }
      await kedai.deps.cache.invalidate(['catalogue']);
      const spreadSold = async () => Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE product_id = ANY($1::bigint[]) AND status = 'sold'`, [spreadIds]))[0]?.n);
      const SPREAD_ORDERS = 2_000;
      const spreadRun = await load(SPREAD_ORDERS, Math.min(CONCURRENCY, BUYERS / 4), (i) =>
        kedai.bot.handle({ id: `spr-${i}`, from: buyerOf(i), name: '', text: `.buy SPR${i % SPREAD}`, at: new Date(), chat: buyerOf(i) }),
      );
      const spreadPerSecond = (await spreadSold()) / spreadRun.seconds;
      await kedai.settle();

      // Latency at half that rate: an open loop (a new .buy every 1/rate s, whatever the previous ones do).
      const halfRate = spreadPerSecond / 2;
      const HALF_SECONDS = 5;
      const halfLatencies: number[] = [];
      const halfStart = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < Math.round(halfRate * HALF_SECONDS); i++) {
        const due = halfStart + (i * 1000) / halfRate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = performance.now();
        inFlight.push(
          kedai.bot
            .handle({ id: `half-${i}`, from: buyerOf(i), name: '', text: `.buy SPR${i % SPREAD}`, at: new Date(), chat: buyerOf(i) })
            .then(() => void halfLatencies.push(performance.now() - t0)),
        );
      }
      await Promise.all(inFlight);
      halfLatencies.sort((a, b) => a - b);
      await kedai.settle();

      // Webhook ingest: signed notifications stored (and answered) over HTTP.
      const sandbox = kedai.sandbox!;
      const orderIds: string[] = [];
      for (let i = 0; i < 200; i++) {
        const b = `62833${String(i).padStart(8, '0')}`;
        await kedai.bot.handle({ id: `wb-${i}`, from: b, name: '', text: '.deposit 10000', at: new Date(), chat: b });
        const [row] = await db.query<{ public_id: string }>(`SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [b]);
        if (row) orderIds.push(row.public_id);
      }
      const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 2_000);
      const bodies = Array.from({ length: NOTIFICATIONS }, (_, i) => {
        const n = sandbox.notification(orderIds[i % orderIds.length]!, 'pending');
        return JSON.stringify({ ...n, transaction_id: `bench-${i}` });
      });
      const webhook = await load(NOTIFICATIONS, CONCURRENCY, async (i) => {
        const res = await fetch(`http://127.0.0.1:${config.port}/webhooks/midtrans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i] });
        if (res.status !== 200) throw new Error(`webhook ${res.status}`);
      });
      await kedai.settle();

      // The full purchase: `.buynow` → Snap (the built-in sandbox over HTTP) → signed settlement → delivered.
      const FULL = Number(process.env.BENCH_FULL_PURCHASES ?? 400);
      await kedai.bot.handle(admin('.addproduk FULL|Full purchase|2000', 40_000));
      await kedai.bot.handle(admin(`.addstok FULL\n${Array.from({ length: FULL + 10 }, (_, i) => `FULL-${i}`).join('\n')}`, 40_001));
      await kedai.settle();
      const steps = { link: [] as number[], webhook: [] as number[], delivered: [] as number[] };
      const webchat = kedai.transport as WebChatTransport;
      const fullBuyer = (i: number) => `62844${String(i).padStart(8, '0')}`;
      const full = await load(FULL, Math.min(CONCURRENCY, 32), async (i) => {
        const b = fullBuyer(i);
        let t = performance.now();
        await kedai.bot.handle({ id: `fp-${i}`, from: b, name: '', text: '.buynow FULL', at: new Date(), chat: b });
        steps.link.push(performance.now() - t);
        const [row] = await db.query<{ public_id: string }>(
          `SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.status = 'pending'`,
          [b],
        );
        if (!row) throw new Error(`no pending order for ${b}`);
        // The goods reaching the buyer's chat (not a poll of the database, which would load what it measures).
        const goods = webchat.nextSent(b, (text) => text.includes('FULL-'));
        t = performance.now();
        const status = await sandbox.setStatus(row.public_id, 'settlement');
        if (status !== 200) throw new Error(`settlement answered ${status}`);
        steps.webhook.push(performance.now() - t);
        t = performance.now();
        await goods;
        steps.delivered.push(performance.now() - t);
      });
      const stepStats = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return { p50ms: round(percentile(s, 50), 1), p99ms: round(percentile(s, 99), 1) };
      };
      await kedai.settle();

      // How the stock claim scales: its plan and cost with 100k items, before and after 50k were sold.
      await kedai.bot.handle(admin('.addproduk SCALE|Scale|1000', 30_000));
      const [{ id: scaleId } = { id: 0 }] = await db.query<{ id: unknown }>(`SELECT id FROM products WHERE code = 'SCALE'`);
      await db.query(`UPDATE products SET stock_added = 100000 WHERE id = $1`, [scaleId]);
      await db.query(`INSERT INTO stock_items (product_id, payload, position) SELECT $1, 'S-' || g, g FROM generate_series(1, 100000) g`, [scaleId]);
      await db.query('ANALYZE stock_items');
      // The claim's second statement, as stock_take (migrations/012) runs it, for the next position.
      const claimPlan = async () => {
        const [{ claimed } = { claimed: 0 }] = await db.query<{ claimed: unknown }>('SELECT stock_claimed AS claimed FROM products WHERE id = $1', [scaleId]);
        const rows = await db.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT id FROM stock_items
            WHERE product_id = $1 AND status = 'available' AND position > $2 AND position <= $2 + 1 FOR UPDATE`,
          [scaleId, Number(claimed)],
        );
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        return {
          index: /Index Scan using (\w+)/.exec(text)?.[1] ?? 'none (sequential scan)',
          ms: Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? NaN),
          buffers: Number(/shared hit=(\d+)/.exec(text)?.[1] ?? NaN),
        };
      };
      const claimFresh = await claimPlan();
      const ord = await db.query<{ id: unknown }>(`SELECT id FROM orders WHERE status = 'delivered' LIMIT 1`);
      await db.query(`UPDATE products SET stock_claimed = 50000 WHERE id = $1`, [scaleId]);
      await db.query(`UPDATE stock_items SET status = 'sold', order_id = $2, sold_at = now() WHERE product_id = $1 AND position <= 50000`, [scaleId, ord[0]?.id]);
      const claimAfterSales = await claimPlan();
      await db.query('ANALYZE stock_items'); // what autoanalyze does after enough changes
      const claimAfterAnalyze = await claimPlan();
      const userPlan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM users WHERE wa_id = '628220000001'`)).map((r) => r['QUERY PLAN']).join(' ');

      // The catalogue with 10 vs 10,000 products: each view is one indexed query, cached per page.
      const catalogueRate = async (label: string, text: string) => {
        const m = (i: number): InboundMessage => ({ id: `cat-${label}-${i}`, from: `62855${String(i % 2000).padStart(8, '0')}`, name: '', text, at: new Date(), chat: 'bench' });
        await load(500, CONCURRENCY, (i) => kedai.bot.handle(m(1_000_000 + i))); // warm
        const r = await load(5_000, CONCURRENCY, (i) => kedai.bot.handle(m(i)));
        return { perSecond: round(5_000 / r.seconds, 0), p50ms: round(percentile(r.latencies, 50), 2), p99ms: round(percentile(r.latencies, 99), 2) };
      };
      await db.query(`INSERT INTO products (code, name, price, description, category) SELECT 'TEN' || g, 'Produk kecil ' || g, 1000 + g, '', 'Sepuluh' FROM generate_series(1, 10) g`);
      await kedai.deps.cache.invalidate(['catalogue']);
      const catalogue10 = await catalogueRate('ten', '.produk Sepuluh');
      await db.query(
        `INSERT INTO products (code, name, price, description, category)
         SELECT 'BIG' || lpad(g::text, 5, '0'), 'Produk besar nomor ' || g, 1000 + g, '', 'Kategori ' || (g % 40) FROM generate_series(1, 10000) g`,
      );
      await db.query('ANALYZE products');
      await kedai.deps.cache.invalidate(['catalogue']);
      const catalogue10k = { overview: await catalogueRate('overview', '.produk'), page: await catalogueRate('page', '.produk Kategori 7 5'), small: await catalogueRate('ten2', '.produk Sepuluh') };

      const redisGet = redisBenchmarkGet();
      const pgbench = pgbenchTps();
      const balancePerSecond = sold / purchases.seconds;
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
        balancePurchases: {
          /** Share of sampled busy backends by what they waited on (Lock:tuple/transactionid = queued on the product's counter row). */
          waits: oneProductWaits,
          orders: sold,
          perSecond: round(balancePerSecond, 0),
          p50ms: round(percentile(purchases.latencies, 50), 2),
          p99ms: round(percentile(purchases.latencies, 99), 2),
        },
        balancePurchasesByStockSize: perStockSize,
        catalogue: { tenProducts: catalogue10, tenThousandProducts: catalogue10k },
        balancePurchasesSpread: { products: SPREAD, perSecond: round(spreadPerSecond, 0), p50ms: round(percentile(spreadRun.latencies, 50), 2), p99ms: round(percentile(spreadRun.latencies, 99), 2) },
        balanceBuyAtHalfRate: { perSecond: round(halfRate, 0), p50ms: round(percentile(halfLatencies, 50), 2), p99ms: round(percentile(halfLatencies, 99), 2) },
        balancePurchasesWith100kMoreUsers: { orders: soldBig, perSecond: round(soldBig / purchasesBig.seconds, 0), sameSampleBefore: round(usersSmall, 0) },
        fullPurchase: {
          orders: FULL,
          perSecond: round(FULL / full.seconds, 0),
          link: stepStats(steps.link),
          settlementAnswered: stepStats(steps.webhook),
          settledToDelivered: stepStats(steps.delivered),
        },
        webhookIngest: { notifications: NOTIFICATIONS, perSecond: round(NOTIFICATIONS / webhook.seconds, 0), p99ms: round(percentile(webhook.latencies, 99), 2) },
        pgbenchTps: pgbench,
        balanceOrdersPerPgbenchTps: pgbench ? round(balancePerSecond / pgbench, 3) : null,
        spreadBalanceOrdersPerPgbenchTps: pgbench ? round(spreadPerSecond / pgbench, 3) : null,
        fullOrdersPerPgbenchTps: pgbench ? round(FULL / full.seconds / pgbench, 3) : null,
        kedaiProcess: await kedaiProcessRss(url),
        redisBenchmarkGetPerSecond: redisGet,
        produkPerRedisGet: redisGet ? round(produkPerSecond / redisGet, 3) : null,
        benchProcessPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        stockClaim: { freshOf100k: claimFresh, after50kSold: claimAfterSales, after50kSoldAndAnalyze: claimAfterAnalyze },
        userLookupUsesIndex: /Index Scan/.test(userPlan),
        node: process.version,
        at: new Date().toISOString(),
      };
    } finally {
      await kedai.stop();
      await db.close();
    }
  });

  // Through the Cloud API transport, on a database of its own (the one above is dropped).
  const cloud = await withDatabase((url) => cloudBench(url, REDIS_URL, freePort));
  // The dashboard at a grown store's size, on a database of its own.
  const dashboard = await withDatabase((url) => dashboardBench(url, REDIS_URL));
  // The quick start as sellers run it: the embedded PostgreSQL server in a fresh DATA_DIR.
  const embedded = await embeddedBench(freePort, startArgs());
  const pgbench = results.pgbenchTps;
  const all = {
    ...results,
    ...cloud,
    dashboard,
    embedded,
    cloudBalanceOrdersPerPgbenchTps: pgbench ? round(cloud.cloudBalancePurchases.perSecond / pgbench, 3) : null,
    /** The serving kedai process (npm start's arguments) at its peak on the bench database. */
    peakRssMb: results.kedaiProcess.peakRssMb,
  };
  const p = results.produk;
  const rows = [
    ['cached .produk (pipeline, transport excluded)', `${p.perSecond} msg/s`, `p50 ${p.p50ms} ms · p99 ${p.p99ms} ms`],
    ['  Redis round trips per message', String(p.redisRoundTripsPerMessage), `${p.redisCommandsPerMessage} commands · cache hit ratio ${p.cacheHitRatio}`],
    ['balance purchases (.buy paid from the balance)', `${results.balancePurchases.perSecond} orders/s`, `p50 ${results.balancePurchases.p50ms} ms · p99 ${results.balancePurchases.p99ms} ms · ${results.balancePurchases.orders} orders`],
    ['  what the busy database connections waited on', Object.entries(results.balancePurchases.waits).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(' · '), ''],
    ['balance purchases spread over 16 products', `${results.balancePurchasesSpread.perSecond} orders/s`, `p50 ${results.balancePurchasesSpread.p50ms} ms · p99 ${results.balancePurchasesSpread.p99ms} ms`],
    ['  one .buy at a time at half that rate', `${results.balanceBuyAtHalfRate.perSecond} orders/s`, `p50 ${results.balanceBuyAtHalfRate.p50ms} ms · p99 ${results.balanceBuyAtHalfRate.p99ms} ms`],
    ['.produk CATEGORY with 10 products in the store', `${results.catalogue.tenProducts.perSecond} msg/s`, `p50 ${results.catalogue.tenProducts.p50ms} ms · p99 ${results.catalogue.tenProducts.p99ms} ms`],
    ['  the same with 10,010 products', `${results.catalogue.tenThousandProducts.small.perSecond} msg/s`, `p50 ${results.catalogue.tenThousandProducts.small.p50ms} ms · p99 ${results.catalogue.tenThousandProducts.small.p99ms} ms`],
    ['  .produk (overview of 41 categories)', `${results.catalogue.tenThousandProducts.overview.perSecond} msg/s`, `p50 ${results.catalogue.tenThousandProducts.overview.p50ms} ms · p99 ${results.catalogue.tenThousandProducts.overview.p99ms} ms`],
    ['  .produk Kategori 7 5 (a page of 250)', `${results.catalogue.tenThousandProducts.page.perSecond} msg/s`, `p50 ${results.catalogue.tenThousandProducts.page.p50ms} ms · p99 ${results.catalogue.tenThousandProducts.page.p99ms} ms`],
    ['  with 1k items vs 100k items on sale', `${results.balancePurchasesByStockSize['1000']} vs ${results.balancePurchasesByStockSize['100000']} orders/s`, ''],
    [
      '  before vs after adding 100k users',
      `${results.balancePurchasesWith100kMoreUsers.sameSampleBefore} vs ${results.balancePurchasesWith100kMoreUsers.perSecond} orders/s`,
      `${results.balancePurchasesWith100kMoreUsers.orders} orders each`,
    ],
    [
      'full purchase (.buynow → Snap → settlement → delivered)',
      `${results.fullPurchase.perSecond} orders/s`,
      `link p50 ${results.fullPurchase.link.p50ms}/p99 ${results.fullPurchase.link.p99ms} ms · webhook ${results.fullPurchase.settlementAnswered.p50ms}/${results.fullPurchase.settlementAnswered.p99ms} · delivered ${results.fullPurchase.settledToDelivered.p50ms}/${results.fullPurchase.settledToDelivered.p99ms}`,
    ],
    ['webhook ingest (signed, stored, answered)', `${results.webhookIngest.perSecond} notif/s`, `p99 ${results.webhookIngest.p99ms} ms`],
    ['pgbench TPC-B-like (-s 8 -c 8 -j 2)', results.pgbenchTps ? `${results.pgbenchTps} TPS` : 'not available', ''],
    ['balance orders/s ÷ pgbench TPS (one product · 16 products)', `${results.balanceOrdersPerPgbenchTps ?? 'n/a'} · ${results.spreadBalanceOrdersPerPgbenchTps ?? 'n/a'}`, ''],
    ['full purchases/s ÷ pgbench TPS', String(results.fullOrdersPerPgbenchTps ?? 'n/a'), ''],
    ['redis-benchmark GET', results.redisBenchmarkGetPerSecond ? `${results.redisBenchmarkGetPerSecond} ops/s` : 'not installed', ''],
    ['.produk msg/s ÷ redis GET ops/s', String(results.produkPerRedisGet ?? 'n/a'), ''],
    ['cloud: .produk through the transport at 1,000/s', `${cloud.cloudProduk.perSecond} msg/s`, `${cloud.cloudProdukPerPace} × the pace`],
    ['cloud: balance purchases (16 products) through the transport', `${cloud.cloudBalancePurchases.perSecond} orders/s`, `${all.cloudBalanceOrdersPerPgbenchTps ?? 'n/a'} × pgbench TPS`],
    [
      `cloud: flash sale (${cloud.flash.buyers} buyers, ${cloud.flash.items} items, pace ${cloud.flash.pace}/s)`,
      `${cloud.flash.sold} sold`,
      `${cloud.flash.answered} answered · answers per buyer ${cloud.flash.answersPerBuyer.min}–${cloud.flash.answersPerBuyer.max} · p50 ${cloud.flash.p50ms} ms · p99 ${cloud.flash.p99ms} ms (target ≤ ${cloud.flash.targetP99ms}) · goods first: ${cloud.flash.goodsBeforeOtherAnswers}`,
    ],
    ['peak RSS of the bench process', `${results.benchProcessPeakRssMb} MB`, ''],
    [
      'peak RSS of a kedai process on the bench database',
      `${results.kedaiProcess.peakRssMb} MB`,
      `${results.kedaiProcess.users} users · ${results.kedaiProcess.stockItems} stock items · ${results.kedaiProcess.messages} messages`,
    ],
    ['stock claim, 100k items (plan, time, buffers)', `${results.stockClaim.freshOf100k.ms} ms`, `${results.stockClaim.freshOf100k.index} · ${results.stockClaim.freshOf100k.buffers} buffers`],
    ['  the same after 50k were sold', `${results.stockClaim.after50kSold.ms} ms`, `${results.stockClaim.after50kSold.index} · ${results.stockClaim.after50kSold.buffers} buffers`],
    ['  … and ANALYZE', `${results.stockClaim.after50kSoldAndAnalyze.ms} ms`, `${results.stockClaim.after50kSoldAndAnalyze.index} · ${results.stockClaim.after50kSoldAndAnalyze.buffers} buffers`],
    ['user lookup by number uses an index', String(results.userLookupUsesIndex), ''],
    ...Object.entries(dashboard.pages).map(([path, t]) => [`dashboard ${path} (10k products, 100k orders)`, `${t.p50ms} ms`, `p95 ${t.p95ms} ms`]),
    ['dashboard orders CSV, all orders streamed', `${dashboard.ordersCsv.ms} ms`, `${dashboard.ordersCsv.rows} rows`],
    ['embedded: first start (initdb) to an answered web chat', `${embedded.firstStartToWebChatMs} ms`, `later start ${embedded.laterStartToWebChatMs} ms`],
    [
      '  node + PostgreSQL (PSS): first-start peak · after traffic · idle',
      `${embedded.firstStartPeakPssMb} · ${embedded.afterTrafficPssMb} · ${embedded.idlePssMb} MB`,
      `${embedded.trafficMessages} messages at ${embedded.trafficMessagesPerSecond}/s, 16 buyers in flight`,
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  process.stdout.write(`\nkedai bench (${p.messages} messages, ${p.concurrency} in flight, ${results.node})\n`);
  for (const [a, b, c] of rows) process.stdout.write(`${a!.padEnd(width)}  ${b!.padStart(14)}  ${c}\n`);
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(all, null, 2)}\n`);
  process.stdout.write('\nwritten: bench/results.json\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
