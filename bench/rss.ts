/** The serving process's peak memory: part of `npm run bench`, alone with `npx tsx bench/rss-only.ts`. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connectPg } from '../src/adapters/postgres/db.js';
import { freePort } from './scratch.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The node arguments of `npm start` (its memory flags included), so the bench measures what operators run. */
const startArgs = (): string[] => (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);

/** `total` calls of `one(i)`, `concurrency` in flight. */
async function load(total: number, concurrency: number, one: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await one(next++);
    }),
  );
}

/**
 * The real `src/main.ts` as its own process on the bench database (by now 100k+
 * users and 100k+ stock items): catalogue reads and purchases through the web
 * chat API, then its peak RSS (VmHWM) from /proc.
 */
export async function kedaiProcessRss(url: string) {
  const port = await freePort();
  const child = spawn(process.execPath, startArgs(), {
    env: { ...process.env, PORT: String(port), DATABASE_URL: url, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true', REDIS_URL, REDIS_PREFIX: `kedai-bench-rss-${randomBytes(3).toString('hex')}:`, LOG_LEVEL: 'silent', ADMIN_NUMBERS: '6280000000001', RATE_LIMIT_CMD_PER_MIN: '100000' },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      if (await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const send = (from: string, text: string) =>
      fetch(`${base}/chat/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) }).then((r) => r.text());
    const MESSAGES_RSS = 4_000;
    await load(MESSAGES_RSS, 32, (i) => send(`62844${String(i % 1_000).padStart(8, '0')}`, i % 10 === 0 ? `.buy SPR${i % 16}` : '.produk').then(() => undefined));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const db = connectPg(url, { max: 1 });
    const [counts] = await db.query<{ users: unknown; items: unknown }>('SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM stock_items) AS items');
    await db.close();
    return { peakRssMb: Math.round(hwmKb / 1024), users: Number(counts?.users), stockItems: Number(counts?.items), messages: MESSAGES_RSS };
  } finally {
    child.kill('SIGTERM');
  }
}

