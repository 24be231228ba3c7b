/** `npx tsx bench/produk-only.ts`: only the cached `.produk` figure (quick before/after comparisons). */
import { connectPg } from '../src/adapters/postgres/db.js';
import type { InboundMessage } from '../src/app/ports.js';
import { benchKedai, withDatabase } from './scratch.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const rate = await withDatabase(async (url) => {
  const db = connectPg(url, { max: 10 });
  const kedai = await benchKedai(url, db, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
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
