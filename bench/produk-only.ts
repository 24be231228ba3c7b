/** `npx tsx bench/produk-only.ts`: only the cached `.produk` figure (quick before/after comparisons). */
import { randomBytes } from 'node:crypto';
import { connectPg } from '../src/adapters/postgres/db.js';
import { loadConfig } from '../src/config.js';
import { createKedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import type { InboundMessage } from '../src/app/ports.js';
import { freePort, withDatabase } from './scratch.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const rate = await withDatabase(async (url) => {
  const db = connectPg(url, { max: 10 });
  const config = loadConfig({
    PORT: String(await freePort()),
    DATABASE_URL: url,
    WHATSAPP_TRANSPORT: 'webchat',
    MIDTRANS_SANDBOX: 'true',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `kedai-bench-p-${randomBytes(3).toString('hex')}:`,
    ADMIN_NUMBERS: '6280000000001',
    RATE_LIMIT_CMD_PER_MIN: '100000',
    LOG_LEVEL: 'silent',
  });
  const kedai = await createKedai(config, { log: createLogger({ level: 'silent', pretty: false }), db });
  await kedai.start();
  try {
    while (!kedai.redis!.health.up) await new Promise((r) => setTimeout(r, 20));
    for (let p = 0; p < 20; p++) {
      await kedai.bot.handle({ id: `a-${p}`, from: '6280000000001', name: '', text: `.addproduk P${p}|Produk ${p}|${10_000 + p * 500}|Bench`, at: new Date(), chat: '6280000000001' });
    }
    const msg = (i: number): InboundMessage => ({ id: `b-${i}`, from: `62811${String(i % 5000).padStart(8, '0')}`, name: '', text: '.produk', at: new Date(), chat: 'bench' });
    const run = async (n: number, offset: number) => {
      let next = 0;
      const t = performance.now();
      await Promise.all(Array.from({ length: 64 }, async () => {
        while (next < n) await kedai.bot.handle(msg(offset + next++));
      }));
      return n / ((performance.now() - t) / 1000);
    };
    await run(2_000, 1_000_000);
    return Math.round(await run(MESSAGES, 0));
  } finally {
    await kedai.stop();
    await db.close();
  }
});
process.stdout.write(`.produk ${rate} msg/s\n`);
