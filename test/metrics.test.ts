import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, freePort, orderIdIn, startKedai, stockProduct, type Harness } from './helpers.js';
import { startFakeMidtrans, FAKE_KEY } from './fakes/midtrans.js';

/** Reads one sample from the Prometheus text: `name{a="b"} 3`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelPart = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (want.every((w) => labelPart.split(',').includes(w))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

describe(`metrics, health and logs (${concurrentBackend.name})`, () => {
  let h: Harness;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  const logs: string[] = [];
  const SECRET_ITEM = 'SECRET-LICENSE-7f3a9c';

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    h = await startKedai(
      concurrentBackend,
      { PORT: String(port), ...fake.env, RATE_LIMIT_BUY_PER_MIN: '2', METRICS_TOKEN: 'metrics-token-123', LOG_LEVEL: 'debug' },
      { logLines: logs },
    );
    await stockProduct(h, 'MET', 5_000, [SECRET_ITEM, 'OTHER-ITEM-1', 'OTHER-ITEM-2', 'OTHER-ITEM-3', 'OTHER-ITEM-4']);
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-123' } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('moves each counter by exactly what a scripted conversation did', async () => {
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    const buyer = '6289600000001';
    await h.kedai.deps.cache.invalidate(['catalogue']);
    const before = await scrape();

    await h.chat(buyer, '.produk'); // catalogue: two misses (the page and the categories)
    await h.chat(buyer, '.produk'); // catalogue: two hits
    await h.chat(buyer, '.buynow MET'); // lock acquired, pending order
    const orderId = orderIdIn(await h.last(buyer));
    await h.chat(buyer, '.buynow MET'); // lock contended (the order holds it): refused, so its slot is given back
    await h.chat(buyer, '.buynow MET'); // contended again, and not rate limited: refusals do not count
    await fake.sandbox.setStatus(orderId, 'settlement'); // paid and delivered
    await h.kedai.settle();
    // Two purchases that count, then the third this minute is rate limited (the limit is 2).
    const other = '6289600000002';
    await h.chat(ADMIN, `.addsaldo ${other} 50000`);
    for (let i = 0; i < 3; i++) await h.chat(other, '.buy MET');
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('kedai_cache_requests_total', { cache: 'catalogue', result: 'miss' })).toBe(2);
    expect(delta('kedai_cache_requests_total', { cache: 'catalogue', result: 'hit' })).toBe(2);
    expect(delta('kedai_buy_lock_total', { result: 'acquired' })).toBe(3);
    expect(delta('kedai_buy_lock_total', { result: 'contended' })).toBe(2);
    expect(delta('kedai_rate_limit_blocks_total', { class: 'buy' })).toBe(1);
    expect(delta('kedai_orders', { status: 'delivered' })).toBe(3);
    expect(delta('kedai_messages_total', { direction: 'in' })).toBe(9);
    expect(delta('kedai_revenue_rupiah')).toBe(15_000);
    expect(sample(after, 'kedai_response_seconds_count', { command: 'produk' })).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'kedai_db_query_seconds_count', { operation: 'select' })).toBeGreaterThan(0);
  });

  it('.performa reports uptime, memory and the database right now', async () => {
    await h.chat(ADMIN, '.performa');
    const text = await h.last(ADMIN);
    expect(text).toMatch(/memori \d+ MB/);
    expect(text).toMatch(/Database: [\d.]+ ms/);
    expect(text).toContain('Redis: tidak dipakai');
  });

  it('keeps server keys, tokens and delivered items out of the logs', async () => {
    // A sale of its own, paid through the gateway, so the logs hold a payment and a delivery whatever ran before.
    const buyer = '6289600000009';
    await h.chat(buyer, '.buynow MET');
    const orderId = orderIdIn(await h.last(buyer));
    await fake.sandbox.setStatus(orderId, 'settlement');
    await h.kedai.settle();
    await h.chat(buyer, `.kirimulang ${orderId}`); // the items, again: through the outbox, never the logs
    await h.kedai.settle();
    expect((await h.sentTo(buyer)).some((t) => t.includes('-ITEM-') || t.includes('SECRET-LICENSE'))).toBe(true);
    const all = logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain('payment event applied');
    expect(all).not.toContain(FAKE_KEY);
    expect(all).not.toContain('metrics-token-123');
    expect(all).not.toContain(SECRET_ITEM);
  });
});
