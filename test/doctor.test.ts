import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { ADMIN, cliIn, concurrentBackend, postgres } from './helpers.js';
import { startFakeMidtrans } from './fakes/midtrans.js';
import { startFakeGraph } from './fakes/graph.js';
import { startFakeDigiflazz } from './fakes/digiflazz.js';
import { startFakeVip } from './fakes/vipreseller.js';
import { freePort } from './helpers.js';
import { createKedai } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';

const GRAPH_TOKEN = 'graph-token-for-the-doctor';

/** `npx kedai doctor` against the fakes of Midtrans and the Graph API, real PostgreSQL and Redis. */
describe.runIf(concurrentBackend.name === 'postgres')('npx kedai doctor', () => {
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let digiflazz: Awaited<ReturnType<typeof startFakeDigiflazz>>;
  let vip: Awaited<ReturnType<typeof startFakeVip>>;
  let target: Awaited<ReturnType<typeof postgres.open>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeMidtrans(() => 'http://127.0.0.1:9/unused');
    graph = await startFakeGraph({ token: GRAPH_TOKEN });
    digiflazz = await startFakeDigiflazz(() => null);
    vip = await startFakeVip(() => null);
    target = await postgres.open();
    await migrate(target.db);
    env = {
      ...fake.env,
      DATABASE_URL: target.url!,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      WHATSAPP_TRANSPORT: 'cloud',
      WHATSAPP_CLOUD_TOKEN: GRAPH_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: '109876543210',
      WHATSAPP_APP_SECRET: 'doctor-app-secret',
      WHATSAPP_VERIFY_TOKEN: 'doctor-verify-token-long',
      WHATSAPP_GRAPH_URL: graph.url,
      PUBLIC_URL: 'https://toko.example',
      ADMIN_NUMBERS: ADMIN,
      ADMIN_TOKEN: 'doctor-admin-token-0123456789',
      MIDTRANS_SANDBOX: '',
      ...digiflazz.env,
      ...vip.env,
    };
  });
  afterAll(async () => {
    await fake?.close();
    await graph?.close();
    await digiflazz?.close();
    await vip?.close();
    await target?.drop();
  });

  const line = (out: string, name: string) => out.split('\n').find((l) => l.slice(2).startsWith(`${name}:`)) ?? '';

  it('passes a store that is set up right: one line per check, exit 0', async () => {
    const r = await cliIn(env, ['doctor']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^No kedai is running with this configuration/);
    for (const name of ['database', 'redis', 'midtrans mode', 'midtrans key', 'cloud token', 'digiflazz', 'digiflazz webhook', 'vip-reseller', 'vip-reseller callback', 'public url', 'admins']) expect(line(r.out, name)).toMatch(/^✓ /);
    expect(line(r.out, 'vip-reseller')).toMatch(/key accepted; balance Rp/);
    expect(line(r.out, 'digiflazz')).toMatch(/key accepted; deposit Rp/);
    expect(line(r.out, 'digiflazz webhook')).toContain('https://toko.example/webhooks/digiflazz');
    expect(line(r.out, 'cloud token')).toContain('Toko Test');
    expect(line(r.out, 'midtrans notifications')).toContain('https://toko.example/webhooks/midtrans');
  });

  it('names each fault with its fix, and exits 1', async () => {
    const r = await cliIn(
      {
        ...env,
        MIDTRANS_SERVER_KEY: 'SB-Mid-server-not-the-key',
        MIDTRANS_IS_PRODUCTION: 'true',
        WHATSAPP_CLOUD_TOKEN: 'expired-token',
        REDIS_URL: 'redis://127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
        PUBLIC_URL: 'http://localhost:3000',
        VIPRESELLER_API_KEY: 'vip-not-the-key',
      },
      ['doctor'],
    );
    expect(r.code).toBe(1);
    expect(line(r.out, 'vip-reseller')).toMatch(/^✗ .*VIPRESELLER_API_KEY/);
    expect(line(r.out, 'midtrans key')).toMatch(/^✗ .*refused \(401\).*MIDTRANS_SERVER_KEY/);
    expect(line(r.out, 'midtrans mode')).toMatch(/^✗ .*sandbox key/);
    expect(line(r.out, 'cloud token')).toMatch(/^✗ .*190/);
    expect(line(r.out, 'redis')).toMatch(/^✗ /);
    expect(line(r.out, 'database')).toMatch(/^✗ .*DATABASE_URL/);
    expect(line(r.out, 'public url')).toMatch(/^✗ .*cannot reach/);
    // A URL an outside service must call is not passed while it points at this machine.
    for (const name of ['midtrans notifications', 'cloud webhook', 'digiflazz webhook']) expect(line(r.out, name)).toContain(`✗ ${name}: PUBLIC_URL (http://localhost:3000) is not reachable`);
    expect(r.err).toMatch(/kedai: 10 check\(s\) failed/);
    // The keys are never printed.
    expect(r.out).not.toContain('not-the-key');
  });

  it('sees a production key used without MIDTRANS_IS_PRODUCTION', async () => {
    const r = await cliIn({ ...env, MIDTRANS_SERVER_KEY: 'Mid-server-live-key' }, ['doctor']);
    expect(line(r.out, 'midtrans mode')).toMatch(/^✗ .*production Server Key/);
    expect(r.code).toBe(1);
  });

  it('never suggests a setting it cannot justify: a junk key is not a key, not "a production key"', async () => {
    const r = await cliIn({ ...env, MIDTRANS_SERVER_KEY: 'asdfghjkl-junk' }, ['doctor']);
    expect(line(r.out, 'midtrans mode')).toMatch(/^✗ midtrans mode: MIDTRANS_SERVER_KEY is not a Midtrans server key/);
    expect(r.out).not.toMatch(/MIDTRANS_IS_PRODUCTION=true/);
  });

  it('runs every check when a setting is missing or unreadable, and says what to do for a database that does not exist', async () => {
    const missingDb = new URL(target.url!);
    missingDb.pathname = '/kedai_doctor_nothing_here';
    const r = await cliIn({ ...env, WHATSAPP_CLOUD_TOKEN: '', PORT: 'eighty', DATABASE_URL: missingDb.toString() }, ['doctor']);
    expect(r.code).toBe(1);
    const config = r.out.split('\n').filter((l) => l.startsWith('✗ configuration:'));
    expect(config.some((l) => l.includes('WHATSAPP_CLOUD_TOKEN: required'))).toBe(true);
    expect(config.some((l) => l.includes('PORT'))).toBe(true);
    // The rest still ran.
    expect(line(r.out, 'database')).toMatch(/^✗ database: the database kedai_doctor_nothing_here does not exist on that server: create it/);
    for (const name of ['redis', 'midtrans key', 'digiflazz', 'admins']) expect(line(r.out, name)).not.toBe('');
  });

  it('asks the running kedai, which checks the configuration it runs with (not this shell\'s)', async () => {
    const config = loadConfig({ ...env, PORT: String(await freePort()), LOG_LEVEL: 'silent', ADMIN_TOKEN: 'the-bots-own-admin-token-0123456789' });
    const bot = await createKedai(config, { log: createLogger({ level: 'silent', pretty: false }), db: target.db });
    await bot.start();
    try {
      // This shell has no ADMIN_TOKEN; the bot has one.
      const r = await cliIn({ ...env, ADMIN_TOKEN: '' }, ['doctor']);
      expect(r.out.split('\n')[0]).toBe(`Checked by the running kedai (process ${process.pid}), with the configuration it runs with:`);
      expect(line(r.out, 'dashboard')).toMatch(/^✓ dashboard: ADMIN_TOKEN set/);
      expect(r.code).toBe(0);
    } finally {
      await bot.stop();
    }
  });

  it('passes the embedded demo as it starts', async () => {
    const r = await cliIn({ DATABASE_URL: '', REDIS_URL: '', DATA_DIR: `/tmp/kedai-doctor-${Date.now()}`, WHATSAPP_TRANSPORT: '', MIDTRANS_SERVER_KEY: '', PUBLIC_URL: '', ADMIN_NUMBERS: '' }, ['doctor']);
    expect(r.code).toBe(0);
    expect(line(r.out, 'database')).toContain('not created yet');
  });
});
