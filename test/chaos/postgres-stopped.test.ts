import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg } from '../../src/adapters/postgres/db.js';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { freePort, orderIdIn, startKedai, stockProduct, type Backend, type Harness } from '../helpers.js';

/** PostgreSQL's server binaries (Debian keeps them out of PATH). */
const BIN = ['/usr/lib/postgresql'].flatMap((root) => (existsSync(root) ? readdirSync(root).map((v) => join(root, v, 'bin')) : [])).find((d) => existsSync(join(d, 'pg_ctl')));
const root = userInfo().uid === 0;

/**
 * The real thing: a private PostgreSQL server of our own (so the shared one is
 * never touched), really stopped for a few seconds mid-run and started again.
 */
describe.runIf(Boolean(BIN))('PostgreSQL stopped and started again', () => {
  let dir: string;
  let port: number;
  let h: Harness;
  // initdb and the server refuse to run as root: then they run as the postgres user.
  const run = (tool: string, args: string[]) =>
    execFileSync(root ? 'runuser' : join(BIN!, tool), root ? ['-u', 'postgres', '--', join(BIN!, tool), ...args] : args, { stdio: 'pipe', cwd: '/' });
  const start = () => run('pg_ctl', ['-D', dir, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const stop = () => run('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kedai-pg-'));
    chmodSync(dir, 0o777);
    if (root) execFileSync('chown', ['postgres', dir]);
    run('initdb', ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    port = await freePort();
    start();
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const privateServer: Backend = {
      name: 'postgres',
      async open() {
        const db = connectPg(url, { max: 10 });
        return { db, url, drop: () => db.close() };
      },
    };
    h = await startKedai(privateServer);
    await stockProduct(h, 'STOP', 10_000, ['stop-item-1', 'stop-item-2']);
  }, 60_000);
  afterAll(async () => {
    await h?.stop().catch(() => undefined);
    try {
      stop();
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('buyers hear "try again", webhooks get 503, nothing is half-written, and everything resumes', async () => {
    const buyer = '6281510000001';
    await h.chat(buyer, '.buynow STOP');
    const orderId = orderIdIn(await h.last(buyer));
    await h.kedai.sandbox!.setStatus(orderId, 'settlement', false);
    const notification = h.kedai.sandbox!.notification(orderId);

    stop();
    const other = '6281510000002';
    await h.post('/chat/api/send', { from: other, text: '.buy STOP' });
    await h.kedai.bot.idle();
    expect(await h.last(other)).toContain('sistem sedang gangguan');
    expect((await h.post('/webhooks/midtrans', notification)).status).toBe(503);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(503);

    start();
    // Midtrans retries: the event is stored and applied, once; the pool reconnects by itself.
    expect((await h.post('/webhooks/midtrans', notification)).status).toBe(200);
    await h.kedai.settle();
    expect((await h.sentTo(buyer)).filter((t) => t.includes('stop-item-1'))).toHaveLength(1);
    await h.chat(other, '.buynow STOP');
    expect(await h.last(other)).toContain('KD-');
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    expect(await verifyInvariants(h.db)).toEqual([]);
  }, 60_000);
});
