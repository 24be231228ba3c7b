import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, readableConfig } from '../src/config.js';
import { ENV_SCHEMA } from '../src/config-env.js';
import { parseEnv } from 'node:util';
import { readFileSync } from 'node:fs';

/** The `.env` file a seller keeps next to the code (go-live guide, step 3). */
describe('the .env file', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is read by npm start and npx kedai; the real environment wins over it; other users lose read access to it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kedai-env-')), '.env');
    writeFileSync(file, ['# the store', 'LOCALE=en', 'PORT=4321', 'PUBLIC_URL="https://toko.example"', 'STATS_LOG_INTERVAL_S=0'].join('\n'));
    chmodSync(file, 0o644);
    // Set in the real environment: wins. Set but empty: means not set, so the file's value stands.
    process.env = { ...saved, ENV_FILE: file, PORT: '5555', LOCALE: '' };
    delete process.env.PUBLIC_URL;
    const c = loadConfig();
    expect([c.locale, c.publicUrl, c.port]).toEqual(['en', 'https://toko.example', 5555]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(c.warnings.some((w) => w.includes('mode is now 0600'))).toBe(true);
    // Given its own environment (tests, the doctor's re-reads), no file is read.
    expect(loadConfig({ PORT: '3000' }).locale).toBe('id');
  });

  it("the guide's .env.example names only settings kedai reads, and filled in it starts a real store (no refusal, no unreadable setting)", () => {
    const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')) as Record<string, string>;
    const known = new Set(Object.keys(ENV_SCHEMA.shape));
    expect(Object.keys(example).filter((k) => !known.has(k))).toEqual([]);
    const filled = {
      ...example,
      ADMIN_TOKEN: 'a-strong-admin-token-0123456789',
      WHATSAPP_CLOUD_TOKEN: 'EAAG-token',
      WHATSAPP_PHONE_NUMBER_ID: '109876543210',
      WHATSAPP_APP_SECRET: 'app-secret',
      WHATSAPP_VERIFY_TOKEN: 'a-long-verify-token-0123',
      MIDTRANS_SERVER_KEY: 'Mid-server-0123456789abcdef',
      DATABASE_URL: 'postgres://kedai:pw@127.0.0.1:5432/kedai',
    };
    const { config, unreadable } = readableConfig(filled);
    expect(unreadable).toEqual([]);
    expect(config.refusals).toEqual([]);
    expect([config.host, config.trustProxy, config.transport, config.midtrans.isProduction, config.supplier.kind]).toEqual(['127.0.0.1', 1, 'cloud', true, 'none']);
    // The service files start it the way the README says.
    expect(readFileSync(new URL('../deploy/kedai.service', import.meta.url), 'utf8')).toMatch(/^ExecStart=\/usr\/bin\/npm start$/m);
  });
});
