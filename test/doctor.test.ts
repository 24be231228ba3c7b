import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { ADMIN, cliIn, concurrentBackend, postgres } from './helpers.js';
import { startFakeMidtrans } from './fakes/midtrans.js';
import { startFakeGraph } from './fakes/graph.js';

const GRAPH_TOKEN = 'graph-token-for-the-doctor';

/** `npx kedai doctor` against the fakes of Midtrans and the Graph API, real PostgreSQL and Redis. */
describe.runIf(concurrentBackend.name === 'postgres')('npx kedai doctor', () => {
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let target: Awaited<ReturnType<typeof postgres.open>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeMidtrans(() => 'http://127.0.0.1:9/unused');
    graph = await startFakeGraph({ token: GRAPH_TOKEN });
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
    };
  });
  afterAll(async () => {
    await fake?.close();
    await graph?.close();
    await target?.drop();
  });

  const line = (out: string, name: string) => out.split('\n').find((l) => l.slice(2).startsWith(`${name}:`)) ?? '';

  it('passes a store that is set up right: one line per check, exit 0', async () => {
    const r = await cliIn(env, ['doctor']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const name of ['database', 'redis', 'midtrans mode', 'midtrans key', 'cloud token', 'public url', 'admins']) expect(line(r.out, name)).toMatch(/^✓ /);
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
      },
      ['doctor'],
    );
    expect(r.code).toBe(1);
    expect(line(r.out, 'midtrans key')).toMatch(/^✗ .*refused \(401\).*MIDTRANS_SERVER_KEY/);
    expect(line(r.out, 'midtrans mode')).toMatch(/^✗ .*sandbox key/);
    expect(line(r.out, 'cloud token')).toMatch(/^✗ .*190/);
    expect(line(r.out, 'redis')).toMatch(/^✗ /);
    expect(line(r.out, 'database')).toMatch(/^✗ .*DATABASE_URL/);
    expect(line(r.out, 'public url')).toMatch(/^✗ .*cannot reach/);
    expect(r.err).toMatch(/kedai: 6 check\(s\) failed/);
    // The key is never printed.
    expect(r.out).not.toContain('not-the-key');
  });

  it('sees a production key used without MIDTRANS_IS_PRODUCTION', async () => {
    const r = await cliIn({ ...env, MIDTRANS_SERVER_KEY: 'Mid-server-live-key' }, ['doctor']);
    expect(line(r.out, 'midtrans mode')).toMatch(/^✗ .*production key/);
    expect(r.code).toBe(1);
  });

  it('passes the embedded demo as it starts', async () => {
    const r = await cliIn({ DATABASE_URL: '', REDIS_URL: '', DATA_DIR: `/tmp/kedai-doctor-${Date.now()}`, WHATSAPP_TRANSPORT: '', MIDTRANS_SERVER_KEY: '', PUBLIC_URL: '', ADMIN_NUMBERS: '' }, ['doctor']);
    expect(r.code).toBe(0);
    expect(line(r.out, 'database')).toContain('not created yet');
  });
});
