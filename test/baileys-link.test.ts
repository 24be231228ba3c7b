import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, type Database } from '../src/adapters/postgres/db.js';
import type { BaileysTransport } from '../src/adapters/whatsapp/baileys.js';
import { loadConfig } from '../src/config.js';
import { createKedai, type Kedai } from '../src/compose.js';
import { createLogger } from '../src/log.js';
import { FakeSocket } from './fakes/baileys.js';
import { ADMIN, freePort, postgres } from './helpers.js';
import { waitFor } from './processes.js';

/**
 * Two kedai instances on one PostgreSQL database with WHATSAPP_TRANSPORT=baileys, each with
 * its own connections (as two processes have): WhatsApp allows one Web connection per linked
 * device, so only the holder of the link lock connects, the other stands by and sends
 * nothing, and takes over when the holder's lock connection dies.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('one WhatsApp Web connection per number across processes', () => {
  let url: string;
  let drop: () => Promise<void>;
  const dbs: Database[] = [];
  const nodes: { kedai: Kedai; sockets: FakeSocket[]; url: string }[] = [];

  const start = async () => {
    const db = connectPg(url, { max: 5 });
    dbs.push(db);
    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      ADMIN_NUMBERS: ADMIN,
      DATABASE_URL: url,
      MIDTRANS_SANDBOX: 'true',
      WHATSAPP_TRANSPORT: 'baileys',
      WHATSAPP_SEND_PER_SECOND: '0',
      LOG_LEVEL: 'silent',
    });
    const sockets: FakeSocket[] = [];
    const kedai = await createKedai(config, {
      log: createLogger({ level: 'silent', pretty: false }),
      db,
      baileysSocket: (c) => {
        sockets.push(new FakeSocket(c));
        return sockets.at(-1)!;
      },
    });
    (kedai.transport as BaileysTransport)['opts'].standbyPollMs = 100;
    await kedai.start();
    const node = { kedai, sockets, url: `http://127.0.0.1:${port}` };
    nodes.push(node);
    return node;
  };
  const link = async (n: { url: string }) => ((await (await fetch(`${n.url}/readyz`)).json()) as { whatsapp: { link?: string } }).whatsapp.link;
  const open = (n: { sockets: FakeSocket[] }) => n.sockets.filter((s) => !s.ended);
  const connect = (n: { sockets: FakeSocket[] }) => n.sockets.at(-1)!.ev.emit('connection.update', { connection: 'open' });

  beforeAll(async () => {
    const made = await postgres.open();
    url = made.url!;
    drop = made.drop;
  });
  afterAll(async () => {
    for (const n of nodes) await n.kedai.stop().catch(() => undefined);
    for (const db of dbs) await db.close().catch(() => undefined);
    await drop?.();
  });

  it('only the process that holds the link connects; the other stands by, sends nothing, and /readyz says which is which', async () => {
    const a = await start();
    const b = await start();
    expect([a.sockets.length, b.sockets.length]).toEqual([1, 0]);
    connect(a);
    expect([await link(a), await link(b)]).toEqual(['open', 'standby']);
    // A message made in the standby process (a payment webhook landed there, the dashboard) goes out through the holder.
    await b.kedai.deps.store.transaction((r) => r.outbox.enqueue({ to: '6281234599001', text: 'dari proses lain', kind: 'notice', orderId: null }));
    b.kedai.dispatcher.kick();
    await b.kedai.dispatcher.idle();
    a.kedai.dispatcher.kick();
    await waitFor('the holder to send it', async () => a.sockets[0]!.sent.some((m) => m.content.text === 'dari proses lain'), 5_000);
    const [row] = await dbs[0]!.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM outbox WHERE body = 'dari proses lain'`);
    expect(row).toEqual({ status: 'sent', attempts: 1 });
    // Standing by, it never opened a socket.
    await new Promise((r) => setTimeout(r, 300));
    expect(b.sockets).toHaveLength(0);
  });

  it('takes over within seconds when the holder dies (its lock connection gone), and the old holder drops its socket and stands by', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    // The holder's process dies: PostgreSQL sees its connection end and frees the lock.
    const killed = await dbs[0]!.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(killed).toEqual([{ ok: true }]);
    await waitFor('the standby process to connect', async () => b.sockets.length === 1, 10_000);
    await waitFor('the old holder to drop its socket', async () => open(a).length === 0, 10_000);
    connect(b);
    expect([await link(a), await link(b)]).toEqual(['standby', 'open']);
    // One connection at a time, and the old holder does not come back while the new one holds the link.
    await new Promise((r) => setTimeout(r, 500));
    expect([open(a).length, open(b).length]).toEqual([0, 1]);
    // A clean stop hands the link over too.
    await b.kedai.stop();
    await waitFor('the first process to take the link back', async () => open(a).length === 1, 10_000);
  });
});
