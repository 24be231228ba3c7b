import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache, MemoryLock } from '../src/adapters/memory/guards.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { CACHE } from '../src/app/cache-aside.js';
import type { PaymentGateway } from '../src/app/ports.js';
import { composeDeps } from '../src/compose-deps.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { postgres } from './helpers.js';
import { waitFor } from './processes.js';

/*
 * A write of another process (the CLI) reaches the bot's in-memory cache at once, through
 * PostgreSQL's NOTIFY: only when it commits, and everything dropped after the bot's
 * listener lost its connection (a notice may have been missed meanwhile).
 */
describe('changes announced by another process', () => {
  let made: Awaited<ReturnType<typeof postgres.open>>;
  const log = createLogger({ level: 'silent', pretty: false });
  const gateway = {} as PaymentGateway;
  let parts: { bot: ReturnType<typeof composeDeps>; cli: ReturnType<typeof composeDeps> };

  beforeAll(async () => {
    made = await postgres.open();
    await migrate(made.db);
    const config = loadConfig({ DATABASE_URL: made.url!, WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true' });
    // Two processes' compositions: each its own in-memory cache, as without Redis.
    const guards = () => ({ locks: new MemoryLock(), cache: new MemoryCache() });
    parts = {
      bot: composeDeps(config, { db: made.db, log, guards: guards(), gateway, changes: 'listen' }),
      cli: composeDeps(config, { db: made.db, log, guards: guards(), gateway, changes: 'announce' }),
    };
    await waitFor('the listener', async () => (await listeners()) === 1);
  });
  afterAll(async () => {
    await parts.bot.listening?.close();
    await made.drop();
  });

  const listeners = async () =>
    (await made.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`))[0]!.n;
  /** Caches a value under `key` in the bot's cache; true while it is still there. */
  const cached = (key: string) => parts.bot.cache.get(key, 60_000, async () => 'loaded');
  const stillCached = async (key: string) => (await parts.bot.cache.get(key, 60_000, async () => 'reloaded')) === 'loaded';

  it('drops the entries a committed write names, at once, and keeps the others', async () => {
    await cached(CACHE.catalogue.key);
    await cached(CACHE.profile.key('6281200000001'));
    await cached(CACHE.profile.key('6281200000002'));
    await parts.cli.store.transaction((r) => r.users.setRole('6281200000001', 'reseller'));
    await waitFor('the profile dropped', async () => !(await stillCached(CACHE.profile.key('6281200000001'))), 3_000);
    expect(await stillCached(CACHE.profile.key('6281200000002'))).toBe(true);
    expect(await stillCached(CACHE.catalogue.key)).toBe(true);
  });

  it('announces nothing for a write that rolls back', async () => {
    await cached(CACHE.profile.key('6281200000003'));
    await expect(
      parts.cli.store.transaction(async (r) => {
        await r.users.setRole('6281200000003', 'reseller');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // A committed write after it is heard: the rolled-back one, sent before, would have been heard first.
    await cached(CACHE.profile.key('6281200000004'));
    await parts.cli.store.transaction((r) => r.users.setRole('6281200000004', 'reseller'));
    await waitFor('the later write heard', async () => !(await stillCached(CACHE.profile.key('6281200000004'))), 3_000);
    expect(await stillCached(CACHE.profile.key('6281200000003'))).toBe(true);
  });

  it('a write naming more than a notice can carry drops everything', async () => {
    await cached(CACHE.catalogue.key);
    const many = Array.from({ length: 600 }, (_, i) => `62812${String(i).padStart(8, '0')}`);
    await parts.cli.store.transaction(async (r) => {
      for (const waId of many) await r.users.setRole(waId, 'reseller');
    });
    await waitFor('everything dropped', async () => !(await stillCached(CACHE.catalogue.key)), 3_000);
  });

  it('its listening connection killed: it listens again and drops everything it cached, since a notice may have been missed', async () => {
    await cached(CACHE.catalogue.key);
    const admin = new pg.Client({ connectionString: made.url! });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`);
    } finally {
      await admin.end();
    }
    await waitFor('everything dropped after the reconnect', async () => !(await stillCached(CACHE.catalogue.key)), 10_000);
    await waitFor('listening again', async () => (await listeners()) === 1, 10_000);
    // And hears the next write.
    await cached(CACHE.profile.key('6281200000005'));
    await parts.cli.store.transaction((r) => r.users.setRole('6281200000005', 'reseller'));
    await waitFor('the write after the reconnect', async () => !(await stillCached(CACHE.profile.key('6281200000005'))), 3_000);
  });
});
