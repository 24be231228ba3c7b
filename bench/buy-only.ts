/**
 * `npx tsx bench/buy-only.ts`: only balance purchases through the whole pipeline (quick
 * before/after comparisons): `.buy` of a stock product (the one-statement path) and of a
 * voucher-priced purchase (the general path), 256 funded buyers, 64 in flight.
 */
import { connectPg } from '../src/adapters/postgres/db.js';
import type { InboundMessage } from '../src/app/ports.js';
import { benchKedai, sampleWaits, withDatabase } from './scratch.js';

const PURCHASES = Number(process.env.BENCH_PURCHASES ?? 3_000);
const BUYERS = 256;
const result = await withDatabase(async (url) => {
  const db = connectPg(url, { max: 10 });
  const kedai = await benchKedai(url, db, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let said = 0;
  const admin = (text: string): InboundMessage => ({ id: `a-${++said}`, from: '6280000000001', name: '', text, at: new Date(), chat: '6280000000001' });
  try {
    const buyerOf = (i: number) => `62822${String(i % BUYERS).padStart(8, '0')}`;
    for (let b = 0; b < BUYERS; b++) await kedai.bot.handle(admin(`.addsaldo ${buyerOf(b)} 50000000`));
    await kedai.bot.handle(admin('.addvoucher BENCHV 1000 1000000'));
    const SPREAD = 16;
    for (const code of ['BAL', 'VCH', ...Array.from({ length: SPREAD }, (_, k) => `SPR${k}`)]) {
      await kedai.bot.handle(admin(`.addproduk ${code}|Bench ${code}|10000`));
      for (let chunk = 0; chunk < PURCHASES + 2_000; chunk += 2_000) {
        await kedai.bot.handle(admin(`.addstok ${code}\n${Array.from({ length: 2_000 }, (_, i) => `${code}-${chunk + i}`).join('\n')}`));
      }
    }
    await kedai.settle();
    // Where the time goes: the kedai process's CPU (this process: the pipeline and the driver) and
    // what the busy database connections wait on.
    let cpu = 0;
    let waits: Record<string, number> = {};
    const run = async (say: string | ((i: number) => string), n: number, offset: number) => {
      let next = 0;
      const waiting = sampleWaits(url);
      const cpuBefore = process.cpuUsage();
      const t = performance.now();
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < n) {
            const i = offset + next++;
            const text = typeof say === 'string' ? say : say(i);
            await kedai.bot.handle({ id: `b-${i}`, from: buyerOf(i), name: '', text, at: new Date(), chat: buyerOf(i) });
          }
        }),
      );
      const seconds = (performance.now() - t) / 1000;
      const used = process.cpuUsage(cpuBefore);
      cpu = (used.user + used.system) / 1e6 / seconds;
      waits = await waiting.stop();
      return Math.round(n / seconds);
    };
    await run('.buy BAL', 300, 1_000_000);
    const quick = await run('.buy BAL', PURCHASES, 0);
    const where = Object.entries(waits).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(', ');
    process.stdout.write(`one product: kedai process CPU ${Math.round(cpu * 100)}% of a core; database connections: ${where}\n`);
    // A voucher is used once per buyer: one purchase each.
    const general = await run('.buy VCH BENCHV', BUYERS, 2_000_000);
    // The same spread over 16 products, as a store sells.
    const spread = await run((i) => `.buy SPR${i % SPREAD}`, PURCHASES, 3_000_000);
    return { quick, general, spread };
  } finally {
    await kedai.stop();
    await db.close();
  }
});
process.stdout.write(`.buy (one statement) ${result.quick} orders/s · over 16 products ${result.spread} orders/s · .buy with a voucher (general path) ${result.general} orders/s\n`);
