import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/postgres/db.js';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { ADMIN, orderIdIn, postgres } from '../helpers.js';
import { signedTextWebhook, startFakeGraph } from '../fakes/graph.js';
import { startFakeMidtrans } from '../fakes/midtrans.js';
import { spawnKedai, waitFor, type KedaiProcess } from '../processes.js';

const SECRET = 'multi-app-secret';
const PHONE_ID = '100200300400';
const BUYERS = 200;
const ITEMS = 50;

/**
 * Two real kedai processes on one PostgreSQL database and one Redis, behind an
 * imaginary load balancer: every Cloud API webhook and every Midtrans
 * notification is delivered to *both* of them at the same moment.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('two kedai processes, 200 buyers racing for 50 items', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let fake: Awaited<ReturnType<typeof startFakeMidtrans>>;
  const procs: KedaiProcess[] = [];

  beforeAll(async () => {
    const made = await postgres.open();
    db = made.db;
    drop = made.drop;
    graph = await startFakeGraph();
    fake = await startFakeMidtrans(() => `${procs[0]!.url}/webhooks/midtrans`);
    const env = {
      DATABASE_URL: made.url!,
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_PREFIX: `kedai-multi-${randomBytes(4).toString('hex')}:`,
      WHATSAPP_TRANSPORT: 'cloud',
      WHATSAPP_CLOUD_TOKEN: 'multi-token',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'multi-verify',
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_SEND_PER_SECOND: '0',
      ...fake.env,
    };
    // The first one migrates; the second finds the schema in place.
    procs.push(await spawnKedai(env));
    procs.push(await spawnKedai(env));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await graph?.close();
    await fake?.close();
    await drop?.();
  });

  let seq = 0;
  /** One signed Cloud API webhook carrying one text, POSTed to every process at once (same message id). */
  const sayToAll = async (from: string, body: string) => {
    const { raw, signature } = signedTextWebhook({ secret: SECRET, phoneNumberId: PHONE_ID, from, id: `wamid.multi.${++seq}`, text: body });
    const statuses = await Promise.all(
      procs.map((p) =>
        fetch(`${p.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual([200, 200]);
  };
  const unsent = async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`))[0]!.n);

  it('sells exactly 50, answers every buyer once and delivers every paid order once', async () => {
    await sayToAll(ADMIN, '.addproduk MULTI|Multi test|15000');
    await waitFor('product', async () => (await db.query(`SELECT 1 FROM products WHERE code = 'MULTI'`)).length === 1);
    const goods = Array.from({ length: ITEMS }, (_, i) => `MULTI-GOODS-${String(i).padStart(3, '0')}`);
    await sayToAll(ADMIN, `.addstok MULTI\n${goods.join('\n')}`);
    await waitFor('stock', async () => (await db.query(`SELECT 1 FROM stock_items`)).length === ITEMS);

    const buyers = Array.from({ length: BUYERS }, (_, i) => `62897${String(i).padStart(8, '0')}`);
    await Promise.all(buyers.map((b) => sayToAll(b, '.buynow MULTI')));
    await waitFor('every buyer answered', async () => buyers.every((b) => graph.textsTo(b).length > 0) && (await unsent()) === 0);

    // Every buyer got exactly one answer: a payment link for 50, "sold out" for the rest.
    const answers = buyers.map((b) => graph.textsTo(b));
    expect(answers.filter((a) => a.length !== 1)).toEqual([]);
    const linked = buyers.filter((_, i) => answers[i]![0]!.includes('KD-'));
    expect(linked).toHaveLength(ITEMS);
    expect(answers.filter((a) => !a[0]!.includes('KD-')).every((a) => a[0]!.includes('habis'))).toBe(true);

    // Midtrans settles each order and, being at-least-once, notifies both processes.
    const orderIds = linked.map((b) => orderIdIn(graph.textsTo(b)[0]!));
    expect(new Set(orderIds).size).toBe(ITEMS);
    await Promise.all(
      orderIds.map(async (id) => {
        await fake.sandbox.setStatus(id, 'settlement', false);
        const body = JSON.stringify(fake.sandbox.notification(id));
        const statuses = await Promise.all(
          procs.map((p) => fetch(`${p.url}/webhooks/midtrans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.status)),
        );
        expect(statuses).toEqual([200, 200]);
      }),
    );
    const delivered = async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE status = 'delivered'`))[0]!.n);
    await waitFor('all delivered', async () => (await delivered()) === ITEMS && (await unsent()) === 0);

    const sent = goods.map((g) => graph.accepted.filter((c) => (c.body.text?.body ?? '').includes(g)).map((c) => c.body.to));
    expect(sent.filter((to) => to.length !== 1)).toEqual([]); // no item sent twice
    expect(new Set(sent.map((to) => to[0])).size).toBe(ITEMS); // to 50 different buyers
    expect(new Set(sent.map((to) => to[0]))).toEqual(new Set(linked)); // exactly those who paid
    for (const b of linked) expect(graph.textsTo(b)).toHaveLength(2); // the link, then the goods once

    const stock = await db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM stock_items GROUP BY status`);
    expect(stock).toEqual([{ status: 'sold', n: String(ITEMS) }]);
    expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_messages`))[0]!.n)).toBe(BUYERS + 2);
    expect(await verifyInvariants(db)).toEqual([]);
  }, 120_000);
});
