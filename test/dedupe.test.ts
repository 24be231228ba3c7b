import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebChatTransport } from '../src/adapters/whatsapp/webchat.js';
import type { InboundMessage } from '../src/app/ports.js';
import { loadConfig } from '../src/config.js';
import { createKedai, type Kedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import type { Sql } from '../src/adapters/postgres/db.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { pgDedupe } from '../src/adapters/postgres/repos/inbound.js';
import { inboundQueue } from '../src/adapters/postgres/repos/inbound-queue.js';
import { ADMIN, backends, concurrentBackend, freePort } from './helpers.js';

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
      const env: Record<string, string> = { PORT: String(await freePort()), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused', WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true' };
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
      const env = { PORT: String(await freePort()), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused', WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true', REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
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

describe.each(backends)('the dedupe insert on $name', (backend) => {
  const counted = (sql: Sql) => {
    const statements: number[] = [];
    const wrapped: Sql = {
      query: (text, params) => {
        statements.push((params?.[0] as unknown[] | undefined)?.length ?? 0);
        return sql.query(text, params);
      },
      exec: (script) => sql.exec(script),
    };
    return { wrapped, statements };
  };

  it('decides a burst of ids in a few batched statements: each id is first exactly once, across two processes', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      const a = counted(db.relaxed);
      const b = counted(db.relaxed);
      const [one, two] = [pgDedupe(a.wrapped), pgDedupe(b.wrapped)];
      // 100 ids, each asked twice of one process and once of the other, all at once.
      const ids = Array.from({ length: 100 }, (_, i) => `wamid.burst-${i}`);
      const asks = ids.flatMap((id) => [one.firstSeen(id), one.firstSeen(id), two.firstSeen(id)]);
      const answers = await Promise.all(asks);
      expect(answers.filter(Boolean)).toHaveLength(100);
      for (let i = 0; i < ids.length; i++) expect(answers.slice(i * 3, i * 3 + 3).filter(Boolean)).toHaveLength(1);
      // The first id of each process went alone; the rest queued behind it and went together.
      expect(a.statements.length + b.statements.length).toBeLessThanOrEqual(6);
      expect(a.statements.reduce((x, y) => x + y, 0)).toBe(200);
      expect(await one.firstSeen('wamid.burst-7')).toBe(false);
      expect(await one.firstSeen('wamid.after-the-burst')).toBe(true);
    } finally {
      await drop();
    }
  });

  it('writes a batch of ids in one order whatever order they came in, so two processes given the same ids never wait on each other in a cycle', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      // Each row as it is written, in the order written.
      await db.exec(`CREATE TABLE written (n serial, tab text, id text);
        CREATE FUNCTION note_written() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO written (tab, id) VALUES (TG_TABLE_NAME, NEW.message_id); RETURN NEW; END $$;
        CREATE TRIGGER note_written BEFORE INSERT ON inbound_messages FOR EACH ROW EXECUTE FUNCTION note_written();
        CREATE TRIGGER note_written BEFORE INSERT ON inbound_queue FOR EACH ROW EXECUTE FUNCTION note_written();`);
      const seen = pgDedupe(db.relaxed);
      const first = seen.firstSeen('wamid.order-0'); // goes alone; the next three wait and go together
      await Promise.all([first, ...['wamid.order-c', 'wamid.order-a', 'wamid.order-b'].map((id) => seen.firstSeen(id))]);
      const at = (m: string): InboundMessage => ({ id: m, from: '6281', name: '', text: '.menu', at: new Date(), chat: '6281' });
      await inboundQueue(db).keep([at('wamid.keep-z'), at('wamid.keep-x'), at('wamid.keep-y')]);
      const rows = await db.query<{ tab: string; id: string }>('SELECT tab, id FROM written ORDER BY n');
      expect(rows.map((r) => `${r.tab} ${r.id}`)).toEqual([
        'inbound_messages wamid.order-0',
        'inbound_messages wamid.order-a',
        'inbound_messages wamid.order-b',
        'inbound_messages wamid.order-c',
        'inbound_queue wamid.keep-x',
        'inbound_queue wamid.keep-y',
        'inbound_queue wamid.keep-z',
      ]);
    } finally {
      await drop();
    }
  });

  it('deletes the handled messages with the next keep, in its statement; with no keep pending, on their own; a failed delete again shortly', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      const sync = counted(db);
      const relaxed = counted(db.relaxed);
      const queue = inboundQueue(sync.wrapped, relaxed.wrapped);
      const at = (m: string): InboundMessage => ({ id: m, from: '6281', name: '', text: '.menu', at: new Date(), chat: '6281' });
      const left = async () => (await db.query<{ message_id: string }>('SELECT message_id FROM inbound_queue ORDER BY 1')).map((r) => r.message_id);
      await queue.keep([at('wamid.q1'), at('wamid.q2')]);
      // q1 handled in the tick q3 came in: one statement keeps q3 and deletes q1.
      await Promise.all([queue.keep([at('wamid.q3')]), queue.done('wamid.q1')]);
      expect(sync.statements).toHaveLength(2);
      expect(relaxed.statements).toHaveLength(0);
      expect(await left()).toEqual(['wamid.q2', 'wamid.q3']);
      // Nothing being kept: the delete goes alone, without waiting for the WAL flush.
      await Promise.all([queue.done('wamid.q2'), queue.done('wamid.q3')]);
      expect(relaxed.statements).toEqual([2]);
      expect(await left()).toEqual([]);
      // A failed keep fails the deletes that rode on it; they are tried again shortly, so the recovery
      // (a minute on) never takes a finished message for one cut off.
      await queue.keep([at('wamid.q4')]);
      const broken = inboundQueue({ query: () => Promise.reject(new Error('connection refused')), exec: () => Promise.resolve() }, relaxed.wrapped, 50);
      const [keep, done] = await Promise.allSettled([broken.keep([at('wamid.q5')]), broken.done('wamid.q4')]);
      expect([keep.status, done.status]).toEqual(['rejected', 'rejected']);
      expect(await left()).toEqual(['wamid.q4']);
      for (let i = 0; i < 100 && (await left()).length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await left()).toEqual([]);
      // So is a delete of its own that failed: the database answers again, the row goes.
      await queue.keep([at('wamid.q6')]);
      let refuse = true;
      const blinking: Sql = { query: (text, params) => (refuse ? ((refuse = false), Promise.reject(new Error('connection reset'))) : db.relaxed.query(text, params)), exec: () => Promise.resolve() };
      await expect(inboundQueue(db, blinking, 50).done('wamid.q6')).rejects.toThrow('connection reset');
      expect(await left()).toEqual(['wamid.q6']);
      for (let i = 0; i < 100 && (await left()).length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await left()).toEqual([]);
    } finally {
      await drop();
    }
  });

  it('asks the stand-in for every id of a batch the database refused', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      const broken: Sql = { query: () => Promise.reject(new Error('connection refused')), exec: () => Promise.resolve() };
      const asked: string[] = [];
      const standIn = { firstSeen: async (id: string) => (asked.push(id), !asked.slice(0, -1).includes(id)) };
      const seen = pgDedupe(broken, standIn);
      const answers = await Promise.all(['x', 'y', 'x'].map((id) => seen.firstSeen(id)));
      expect(answers).toEqual([true, true, false]);
      expect(asked.sort()).toEqual(['x', 'x', 'y']);
      await expect(pgDedupe(broken).firstSeen('z')).rejects.toThrow('connection refused');
    } finally {
      await drop();
    }
  });
});
