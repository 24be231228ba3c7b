import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { catalogueView } from '../src/app/catalogue.js';
import { ADMIN, concurrentBackend, orderIdIn, startKedai, stockProduct, type Harness, said } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL;
const modes = ['memory', ...(REDIS_URL ? ['redis'] : [])] as const;

/** Counts catalogue reads that reach the database. */
function countingCatalogueReads(db: Database, counter: { n: number }): Database {
  return {
    ...db,
    query: (text, params) => {
      if (/FROM products p/.test(text)) counter.n++;
      return db.query(text, params);
    },
  } as Database;
}

describe.each(modes)('rate limit, lock and cache (%s)', (mode) => {
  let h: Harness;
  let gateway: Server | null = null;
  const prefix = `kedai-t-${randomBytes(4).toString('hex')}:`;
  const reads = { n: 0 };
  const raw = REDIS_URL ? new Redis(REDIS_URL) : null;
  const redisEnv: Record<string, string> = mode === 'redis' ? { REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix } : {};

  beforeAll(async () => {
    h = await startKedai(concurrentBackend, { ...redisEnv, RATE_LIMIT_BUY_PER_MIN: '3', RATE_LIMIT_CMD_PER_MIN: '20' }, { wrapDb: (db) => countingCatalogueReads(db, reads) });
    await stockProduct(h, 'RL', 1_000, Array.from({ length: 40 }, (_, i) => `RL-${i}`));
  });
  afterAll(async () => {
    await h?.stop();
    gateway?.close();
    if (raw) {
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length) await raw.del(...keys);
      raw.disconnect();
    }
  });

  const lockHolder = async (waId: string): Promise<string | null> =>
    mode === 'redis' ? raw!.get(`${prefix}lock:buy:${waId}`) : 'n/a';

  it('lets 3 buys a minute through and warns once; another buyer is not affected', async () => {
    const buyer = '6282100000001';
    await h.chat(ADMIN, `.addsaldo ${buyer} 100000`);
    for (let i = 0; i < 5; i++) await h.chat(buyer, '.buy RL');
    const inbox = await h.sentTo(buyer);
    expect(inbox.filter((t) => t.includes('berhasil'))).toHaveLength(3);
    const warnings = inbox.filter((t) => t.includes('Maksimal 3 transaksi per menit'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Coba lagi dalam \d+ detik/);
    // Other commands still work for this buyer; another buyer can buy.
    await h.chat(buyer, '.saldo');
    expect(await h.last(buyer)).toContain('Rp97.000');
    await h.chat(ADMIN, '.addsaldo 6282100000002 1000');
    await h.chat('6282100000002', '.buy RL');
    expect(await h.last('6282100000002')).toContain('berhasil');
    if (mode === 'redis') expect(await raw!.pttl(`${prefix}ratelimit:${buyer}:buy`)).toBeGreaterThan(0);
  });

  it('does not count a buy refused before anything changed (unknown code, bad voucher, wrong words, in progress) against the buy limit', async () => {
    const buyer = '6282100000051';
    await h.chat(ADMIN, `.addsaldo ${buyer} 100000`);
    for (const text of ['.buy NOPE', '.buy RL NOVOUCHER', '.buy RL 1 2 3', '.buy NOPE2', '.buy RL 0']) await h.chat(buyer, text);
    expect((await h.sentTo(buyer)).filter((t) => t.includes('Maksimal 3 transaksi per menit'))).toEqual([]);
    // Three real purchases still go through, and the fourth is the one limited.
    for (let i = 0; i < 4; i++) await h.chat(buyer, '.buy RL');
    const sent = await h.sentTo(buyer);
    expect(sent.filter((t) => t.includes('berhasil'))).toHaveLength(3);
    expect(sent.filter((t) => t.includes('Maksimal 3 transaksi per menit'))).toHaveLength(1);
  });

  it('a limited buyer who writes again later in the window hears how long is left, never silence (one warning per 5 s)', async () => {
    const buyer = '6282100000052';
    await h.chat(ADMIN, `.addsaldo ${buyer} 100000`);
    for (let i = 0; i < 5; i++) await h.chat(buyer, '.buy RL');
    expect((await h.sentTo(buyer)).filter((t) => t.includes('Maksimal 3'))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5_100));
    await h.chat(buyer, '.buy RL');
    const warnings = (await h.sentTo(buyer)).filter((t) => t.includes('Maksimal 3'));
    expect(warnings).toHaveLength(2);
    const [first, second] = warnings.map((t) => Number(/dalam (\d+) detik/.exec(t)![1]));
    expect(second!).toBeLessThan(first!);
  }, 20_000);

  it('does not count a replayed message (the same id again) against the limit', async () => {
    const buyer = '6282100000003';
    await h.chat(ADMIN, `.addsaldo ${buyer} 100000`);
    const message = (id: string) => ({ id, from: buyer, name: '', text: '.buy RL', at: new Date(), chat: buyer });
    // The first buy, then Meta delivers it four more times.
    for (let i = 0; i < 5; i++) await h.kedai.bot.handle(message(`replayed-${buyer}`));
    await h.kedai.settle();
    // Two more real buys: three in the minute, all allowed, no warning.
    await h.kedai.bot.handle(message(`second-${buyer}`));
    await h.kedai.bot.handle(message(`third-${buyer}`));
    await h.kedai.settle();
    const inbox = await h.sentTo(buyer);
    expect(inbox.filter((t) => t.includes('berhasil'))).toHaveLength(3);
    expect(inbox.filter((t) => t.includes('Maksimal'))).toEqual([]);
  });

  it('limits a flood after 20 commands with one warning; admins are never limited', async () => {
    const buyer = '6282100000003';
    for (let i = 0; i < 30; i++) await h.chat(buyer, '.menu');
    const inbox = await h.sentTo(buyer);
    expect(inbox.filter((t) => t.startsWith('*Menu*'))).toHaveLength(20);
    expect(inbox.filter((t) => t.includes('Terlalu banyak pesan'))).toHaveLength(1);
    const before = (await h.sentTo(ADMIN)).length;
    for (let i = 0; i < 25; i++) await h.chat(ADMIN, '.menu');
    expect((await h.sentTo(ADMIN)).length).toBe(before + 25);
  });

  it('takes the rate-limit hit and the buy lock in one Redis round trip, and gives the lock back when the command is refused before it runs', async () => {
    if (mode !== 'redis') return; // in-process, the two cost nothing apart
    const buyer = '6282100000077';
    // Every script call that touches this buyer's lock, as Redis saw it: [number of keys, keys…].
    const seen: string[][] = [];
    const monitor = await raw!.monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (/^eval/i.test(args[0] ?? '') && args.some((a) => a.endsWith(`lock:buy:${buyer}`))) seen.push(args.slice(2));
    });
    try {
      await h.chat(buyer, '.buynow RL');
      const orderId = orderIdIn(await h.last(buyer));
      // First, one script with two keys: the counter and the lock.
      expect(seen.slice(0, 1).map((a) => [a[0], a[1]!.endsWith(`ratelimit:${buyer}:buy`), a[2]!.endsWith(`lock:buy:${buyer}`)])).toEqual([['2', true, true]]);
      // No separate acquire (one key, a `buy-` owner and a TTL); the hand-over to the order is the only other call.
      expect(seen.filter((a) => a[0] === '1' && a.length === 4 && /^buy-/.test(a[2] ?? '') && /^\d+$/.test(a[3] ?? ''))).toEqual([]);
      expect(await lockHolder(buyer)).toBe(orderId);
      await h.chat(buyer, '.batal');
      // Refused by the router after the lock was taken (a control character): the lock does not stay behind.
      await h.chat(buyer, '.buynow RL\u0007');
      expect(await h.last(buyer)).toBe(said('BAD_CHARACTERS'));
      expect(await lockHolder(buyer)).toBeNull();
      await h.chat(buyer, '.buynow RL');
      expect(await h.last(buyer)).toContain('Bayar di sini');
      await h.chat(buyer, '.batal');
    } finally {
      monitor.disconnect();
    }
  });

  it('10 buys at once from one buyer: one order, the others told a transaction is in progress', async () => {
    // The admin is a buyer too and is not rate limited, so all ten reach the lock.
    const before = (await h.sentTo(ADMIN)).length;
    await Promise.all(Array.from({ length: 10 }, () => h.post('/chat/api/send', { from: ADMIN, text: '.buynow RL' })));
    await h.kedai.settle();
    const orders = await h.db.query<{ public_id: string }>(
      `SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.status = 'pending'`,
      [ADMIN],
    );
    expect(orders).toHaveLength(1);
    const replies = (await h.sentTo(ADMIN)).slice(before);
    expect(replies.filter((t) => t.includes('Bayar di sini'))).toHaveLength(1);
    expect(replies.filter((t) => t.includes('Masih ada transaksi'))).toHaveLength(9);
    if (mode === 'redis') expect(await lockHolder(ADMIN)).toBe(orders[0]!.public_id);
    await h.chat(ADMIN, '.batal');
  });

  it('releases the lock when the order settles, expires or is cancelled', async () => {
    const cases: [string, (orderId: string, buyer: string) => Promise<unknown>][] = [
      ['settlement', (id) => h.kedai.sandbox!.setStatus(id, 'settlement')],
      ['expire', (id) => h.kedai.sandbox!.setStatus(id, 'expire')],
      ['cancel', (_id, buyer) => h.chat(buyer, '.batal')],
    ];
    let n = 10;
    for (const [name, close] of cases) {
      const buyer = `62821000000${n++}`;
      await h.chat(buyer, '.buynow RL');
      const orderId = orderIdIn(await h.last(buyer));
      if (mode === 'redis') expect(await lockHolder(buyer)).toBe(orderId);
      await close(orderId, buyer);
      await h.kedai.settle();
      if (mode === 'redis') expect(await lockHolder(buyer), name).toBeNull();
      await h.chat(buyer, '.buynow RL');
      expect(orderIdIn(await h.last(buyer)), name).not.toBe(orderId);
    }
  });

  it('keeps one pending order per buyer even when the lock is lost', async () => {
    const buyer = '6282100000020';
    await h.chat(buyer, '.buynow RL');
    const orderId = orderIdIn(await h.last(buyer));
    if (mode === 'redis') await raw!.del(`${prefix}lock:buy:${buyer}`);
    else await h.kedai.deps.locks.release(`lock:buy:${buyer}`, orderId);
    await h.chat(buyer, '.buynow RL');
    expect(await h.last(buyer)).toContain(`Masih ada transaksi yang berjalan (${orderId})`);
  });

  it('serves .produk from the cache, shows a price change on the very next .produk, loads once for 500 misses', async () => {
    const buyer = '6282100000030';
    await h.kedai.deps.cache.invalidate(['catalogue']);
    reads.n = 0;
    await h.chat(buyer, '.produk');
    await h.chat(buyer, '.produk');
    expect(reads.n).toBe(1);
    await h.chat(ADMIN, '.setharga RL 1500');
    await h.chat(buyer, '.produk');
    expect(await h.last(buyer)).toContain('Rp1.500');
    expect(reads.n).toBe(2);

    await h.kedai.deps.cache.invalidate(['catalogue']);
    reads.n = 0;
    const views = await Promise.all(Array.from({ length: 500 }, () => catalogueView(h.kedai.deps, buyer, {})));
    expect(reads.n).toBe(1);
    expect(views.every((v) => v.kind === 'page' && v.products.find((p) => p.code === 'RL')?.price === 1500)).toBe(true);
  });

  it('shows the cached balance but never decides a purchase with it', async () => {
    const buyer = '6282100000031';
    await h.chat(buyer, '.saldo');
    expect(await h.last(buyer)).toContain('Rp0');
    // Plant a wrong balance in the cache, as a stale entry would be.
    await h.kedai.deps.cache.invalidate([`user:${buyer}`]);
    await h.kedai.deps.cache.get(`user:${buyer}`, 60_000, async () => ({ balance: 999_999, name: '', role: 'member', blocked: false }));
    await h.chat(buyer, '.saldo');
    expect(await h.last(buyer)).toContain('Rp999.999');
    await h.chat(buyer, '.buy RL');
    expect(await h.last(buyer)).toContain('Bayar di sini'); // the real balance is 0: a payment link
    await h.chat(buyer, '.batal');
  });

  it('releases the lock at once when the gateway fails', async () => {
    gateway = createServer((_req, res) => res.writeHead(503).end('{}'));
    await new Promise<void>((resolve) => gateway!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
    const failing = await startKedai(concurrentBackend, {
      ...redisEnv,
      MIDTRANS_SERVER_KEY: 'SB-Mid-server-test-key',
      MIDTRANS_SNAP_URL: `${base}/snap/v1`,
      MIDTRANS_API_URL: `${base}/v2`,
    });
    try {
      await stockProduct(failing, 'GF', 1_000, ['gf-1']);
      const buyer = '6282100000040';
      await failing.chat(buyer, '.buynow GF');
      expect(await failing.last(buyer)).toBe(said('PAYMENT_UNAVAILABLE'));
      if (mode === 'redis') expect(await lockHolder(buyer)).toBeNull();
      await failing.chat(buyer, '.buynow GF');
      expect(await failing.last(buyer)).toBe(said('PAYMENT_UNAVAILABLE'));
    } finally {
      await failing.stop();
    }
  });
});
