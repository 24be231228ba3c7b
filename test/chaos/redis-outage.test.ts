import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { ADMIN, concurrentBackend, freePort, startKedai, stockProduct, type Harness } from '../helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A redis-server of the test's own, on a free port, so it can be killed without touching anyone else's. */
function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

describe(`Redis killed mid-run (${concurrentBackend.name})`, () => {
  let h: Harness;
  let port: number;
  let server: ChildProcess;
  const logs: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    server = startRedis(port);
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 50 });
    probe.on('error', () => undefined);
    await waitFor('redis to start', async () => (await probe.ping().catch(() => '')) === 'PONG');
    probe.disconnect();
    h = await startKedai(
      concurrentBackend,
      { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_BUY_PER_MIN: '3', RATE_LIMIT_CMD_PER_MIN: '1000' },
      { logLines: logs },
    );
    await waitFor('kedai to connect', () => h.kedai.redis!.health.up);
    await stockProduct(h, 'KO', 1_000, Array.from({ length: 30 }, (_, i) => `KO-${i}`));
  });
  afterAll(async () => {
    await h?.stop();
    server?.kill('SIGKILL');
  });

  const buyers = (from: number, n: number) => Array.from({ length: n }, (_, i) => `62830000${String(from + i).padStart(5, '0')}`);
  const buyAll = async (numbers: string[]) => {
    await Promise.all(numbers.map((from) => h.post('/chat/api/send', { from, text: '.buy KO' })));
    await h.kedai.settle();
  };
  const fund = async (numbers: string[]) => {
    for (const n of numbers) await h.chat(ADMIN, `.addsaldo ${n} 1000`);
  };
  const sold = async () => Number((await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM stock_items WHERE status = 'sold'`)).n);

  it('keeps selling without Redis, limits per process, oversells nothing, and goes back to Redis', async () => {
    const before = buyers(0, 10);
    await fund(before);
    await buyAll(before);
    expect(await sold()).toBe(10);

    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));

    // Buyers go on: 25 racing for the 20 items left.
    const during = buyers(100, 25);
    await fund(during);
    await buyAll(during);
    expect(await sold()).toBe(20 + 10);
    const owners = await h.db.query<{ n: unknown }>(`SELECT count(DISTINCT order_id) AS n FROM stock_items WHERE status = 'sold'`);
    expect(Number(owners[0]!.n)).toBe(30);
    const soldOut = await Promise.all(during.map((n) => h.last(n)));
    expect(soldOut.filter((t) => t.includes('berhasil'))).toHaveLength(20);
    expect(soldOut.filter((t) => t.includes('habis'))).toHaveLength(5);
    expect(h.kedai.redis!.health.up).toBe(false);

    // The limit still applies, in this process's memory.
    // (Purchases that go through count; a refusal that changed nothing would give its slot back.)
    const eager = '6283099999999';
    await stockProduct(h, 'KO2', 1_000, Array.from({ length: 5 }, (_, i) => `KO2-${i}`));
    await h.chat(ADMIN, `.addsaldo ${eager} 10000`);
    for (let i = 0; i < 5; i++) await h.chat(eager, '.buy KO2');
    expect((await h.sentTo(eager)).filter((t) => t.includes('berhasil'))).toHaveLength(3);
    expect((await h.sentTo(eager)).filter((t) => t.includes('Maksimal 3 transaksi'))).toHaveLength(1);

    // Ready without Redis: the seed's fail-open rule.
    const ready = await (await fetch(`${h.url}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', redis: { configured: true, up: false } });

    // Logged once when it started, not per message.
    expect(logs.filter((l) => l.includes('redis unavailable'))).toHaveLength(1);

    server = startRedis(port);
    await waitFor('kedai to reconnect', () => h.kedai.redis!.health.up);
    const back = '6283088888888';
    await h.chat(back, '.produk');
    const probe = new Redis({ port });
    expect(await probe.exists(`kedai:ratelimit:${back}:cmd`)).toBe(1);
    expect(await probe.exists('kedai:cache:catalogue#')).toBe(1);
    probe.disconnect();
    expect(logs.filter((l) => l.includes('redis is back'))).toHaveLength(1);
    expect(await verifyInvariants(h.db)).toEqual([]);
  });
});
