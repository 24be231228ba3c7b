import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebChatTransport } from '../src/adapters/whatsapp/webchat.js';
import type { InboundMessage } from '../src/app/ports.js';
import { loadConfig } from '../src/config.js';
import { createKedai, type Kedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import { ADMIN, concurrentBackend, freePort } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL;
const modes = ['database', ...(REDIS_URL ? ['redis'] : [])] as const;
const log = createLogger({ level: 'silent', pretty: false });
const prefixes: string[] = [];

afterAll(async () => {
  if (!REDIS_URL) return;
  const raw = new Redis(REDIS_URL);
  for (const p of prefixes) {
    const keys = await raw.keys(`${p}*`);
    if (keys.length) await raw.del(...keys);
  }
  raw.disconnect();
});

describe.each(modes)('inbound dedupe across processes and restarts (%s)', (mode) => {
  it('answers one message id once, whichever process gets it and however often', async () => {
    const { db, drop } = await concurrentBackend.open();
    const prefix = `kedai-dd-${randomBytes(3).toString('hex')}:`;
    prefixes.push(prefix);
    const make = async () => {
      const env: Record<string, string> = { PORT: String(await freePort()), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused' };
      if (mode === 'redis') Object.assign(env, { REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix });
      const k = await createKedai(loadConfig(env), { log, db });
      await k.start();
      if (k.redis) while (!k.redis.health.up) await new Promise((r) => setTimeout(r, 10));
      return k;
    };
    const replies = (k: Kedai) => (k.transport as WebChatTransport).messages('6289100000001').length;
    const msg: InboundMessage = { id: 'wamid.same-everywhere', from: '6289100000001', name: '', text: '.menu', at: new Date(), chat: '6289100000001' };
    try {
      const [a, b] = [await make(), await make()];
      await Promise.all([a.bot.handle(msg), b.bot.handle(msg), a.bot.handle(msg)]);
      expect(replies(a) + replies(b)).toBe(1);
      await a.stop();
      await b.stop();
      const c = await make(); // a restart
      await c.bot.handle(msg);
      expect(replies(c)).toBe(0);
      await c.bot.handle({ ...msg, id: 'wamid.a-new-one' });
      expect(replies(c)).toBe(1);
      await c.stop();
    } finally {
      await drop();
    }
  });
});

describe.runIf(Boolean(REDIS_URL))('inbound dedupe when only one process can reach Redis', () => {
  it('still answers once: the database decides, Redis only stands in while the database is unreachable', async () => {
    const { db, drop } = await concurrentBackend.open();
    const prefix = `kedai-dd-${randomBytes(3).toString('hex')}:`;
    prefixes.push(prefix);
    const make = async (redisUrl: string) => {
      const env = { PORT: String(await freePort()), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused', REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
      const k = await createKedai(loadConfig(env), { log, db });
      await k.start();
      return k;
    };
    const withRedis = await make(REDIS_URL!);
    const cutOff = await make(`redis://127.0.0.1:${await freePort()}`); // nothing listens there
    try {
      while (!withRedis.redis!.health.up) await new Promise((r) => setTimeout(r, 10));
      for (let i = 0; i < 20; i++) {
        const msg: InboundMessage = { id: `wamid.split-${i}`, from: '6289100000002', name: '', text: '.menu', at: new Date(), chat: '6289100000002' };
        await Promise.all([withRedis.bot.handle(msg), cutOff.bot.handle(msg)]);
      }
      const count = (k: Kedai) => (k.transport as WebChatTransport).messages('6289100000002').length;
      expect(count(withRedis) + count(cutOff)).toBe(20);
    } finally {
      await withRedis.stop();
      await cutOff.stop();
      await drop();
    }
  });
});
