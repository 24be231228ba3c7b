import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { ADMIN, freePort, postgres } from './helpers.js';
import { startFakeDigiflazz } from './fakes/digiflazz.js';
import { startFakeGraph } from './fakes/graph.js';
import { startFakeMidtrans } from './fakes/midtrans.js';
import { spawnKedai, type KedaiProcess } from './processes.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;

/**
 * docs/go-live.md followed on this machine as far as it goes without the outside services
 * (fakes that speak their protocols stand in): step 3's `.env` from `.env.example`, step 4's
 * `npm start` reading it (and nothing from the environment), step 10's doctor asking the
 * running kedai, every line ✓.
 */
describe('the go-live guide, followed on this machine', () => {
  let made: Awaited<ReturnType<typeof postgres.open>>;
  let midtrans: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let digiflazz: Awaited<ReturnType<typeof startFakeDigiflazz>>;
  let kedai: KedaiProcess | null = null;
  const envFile = join(mkdtempSync(join(tmpdir(), 'kedai-go-live-')), '.env');
  /** Every setting comes from the file: the variables the test runner has are emptied (empty = not set). */
  const fromFileOnly = { ENV_FILE: envFile, DATABASE_URL: '', REDIS_URL: '', ADMIN_NUMBERS: '', PORT: '', LOG_LEVEL: 'warn' };

  beforeAll(async () => {
    made = await postgres.open();
    await migrate(made.db);
    midtrans = await startFakeMidtrans(() => 'http://127.0.0.1:9/unused');
    graph = await startFakeGraph({ token: 'EAAG-permanent-token' });
    digiflazz = await startFakeDigiflazz(() => null);
    // Step 3: the example, filled in as the guide says (the fakes' addresses where the real services would be).
    const filled: Record<string, string> = {
      PUBLIC_URL: 'https://toko.example.com',
      PORT: String(await freePort()),
      ADMIN_NUMBERS: ADMIN,
      ADMIN_TOKEN: 'go-live-admin-token-0123456789abcdef',
      DATABASE_URL: made.url!,
      DATA_DIR: join(envFile, '..', 'data'),
      WHATSAPP_CLOUD_TOKEN: 'EAAG-permanent-token',
      WHATSAPP_PHONE_NUMBER_ID: '109876543210',
      WHATSAPP_APP_SECRET: 'go-live-app-secret',
      WHATSAPP_VERIFY_TOKEN: 'go-live-verify-token-0123',
      WHATSAPP_GRAPH_URL: graph.url,
      MIDTRANS_SERVER_KEY: midtrans.env.MIDTRANS_SERVER_KEY,
      MIDTRANS_IS_PRODUCTION: 'false',
      MIDTRANS_SNAP_URL: midtrans.env.MIDTRANS_SNAP_URL,
      MIDTRANS_API_URL: midtrans.env.MIDTRANS_API_URL,
      ...digiflazz.env,
    };
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const lines = example.split('\n').map((line) => {
      const name = /^([A-Z_]+)=/.exec(line)?.[1];
      return name && filled[name] !== undefined ? `${name}=${filled[name]}` : line;
    });
    const missing = Object.keys(filled).filter((k) => !lines.some((l) => l.startsWith(`${k}=`)));
    writeFileSync(envFile, [...lines, ...missing.map((k) => `${k}=${filled[k]}`)].join('\n'), { mode: 0o600 });
  });
  afterAll(async () => {
    await kedai?.stop();
    await midtrans?.close();
    await graph?.close();
    await digiflazz?.close();
    await made?.drop();
  });

  it('npm start reads the .env; the doctor asks the running kedai and every check passes', async () => {
    const port = /^PORT=(\d+)$/m.exec(readFileSync(envFile, 'utf8'))![1]!;
    kedai = await spawnKedai({ ...fromFileOnly, PORT: port });
    expect((await (await fetch(`${kedai.url}/healthz`)).json()) as object).toEqual({ status: 'ok' });
    // The webhook Meta calls answers its verification with the token from the file.
    const verify = await fetch(`${kedai.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=go-live-verify-token-0123&hub.challenge=42`);
    expect(await verify.text()).toBe('42');
    // Step 10.
    const doctor = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'doctor'], { env: { ...process.env, ...fromFileOnly } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
    const lines = doctor.out.trim().split('\n');
    expect(lines[0]).toBe(`Checked by the running kedai (process ${kedai.child.pid}), with the configuration it runs with:`);
    expect(lines.slice(1).filter((l) => !l.startsWith('✓'))).toEqual([]);
    for (const name of ['database', 'midtrans key', 'cloud token', 'digiflazz', 'cloud webhook', 'midtrans notifications', 'digiflazz webhook', 'public url', 'admins', 'dashboard']) {
      expect(lines.some((l) => l.startsWith(`✓ ${name}:`))).toBe(true);
    }
    expect(doctor.code).toBe(0);
  }, 90_000);
});
