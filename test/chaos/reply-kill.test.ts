import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/postgres/db.js';
import { verifyInvariants } from '../../src/adapters/postgres/verify.js';
import { textsFor } from '../../src/i18n/index.js';
import { ADMIN, freePort, postgres } from '../helpers.js';
import { signedTextWebhook, startFakeGraph } from '../fakes/graph.js';
import { startFakeMidtrans } from '../fakes/midtrans.js';
import { sleep, spawnKedai, waitFor, type KedaiProcess } from '../processes.js';

const SECRET = 'reply-kill-secret';
const PHONE_ID = '109870000001';
const id = textsFor('id');

/**
 * Issue #34: every command answered, also across a kill. The real kedai process on the Cloud
 * API, its replies hanging at the Graph API (held by the fake), SIGKILLed twice with replies in
 * flight. A message is finished only once its reply is sent or queued, so after each restart
 * the kept message comes back: a command that changes nothing is answered again; a money
 * command is not carried out twice, and its sender is told what to check.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('kedai SIGKILLed while replies hang at WhatsApp', () => {
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let midtrans: Awaited<ReturnType<typeof startFakeMidtrans>>;
  let db: Database;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  let kedai: KedaiProcess | null = null;
  let seq = 0;

  beforeAll(async () => {
    const made = await postgres.open();
    ({ db, drop } = made);
    graph = await startFakeGraph();
    const port = await freePort();
    midtrans = await startFakeMidtrans(() => `http://127.0.0.1:${port}/webhooks/midtrans`);
    env = {
      ...midtrans.env,
      PORT: String(port),
      DATABASE_URL: made.url!,
      WHATSAPP_TRANSPORT: 'cloud',
      WHATSAPP_CLOUD_TOKEN: 'reply-kill-token',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'reply-kill-verify',
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_SEND_PER_SECOND: '0',
    };
    kedai = await spawnKedai(env);
  }, 60_000);
  afterAll(async () => {
    await kedai?.stop('SIGKILL');
    graph?.hold.clear();
    await graph?.close();
    await midtrans?.close();
    await drop?.();
  });

  const say = async (from: string, text: string) => {
    const { raw, signature } = signedTextWebhook({ secret: SECRET, phoneNumberId: PHONE_ID, from, id: `wamid.kill.${++seq}.${randomBytes(3).toString('hex')}`, text });
    const res = await fetch(`${kedai!.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw });
    expect(res.status).toBe(200);
  };
  const texts = (to: string) => graph.textsTo(to);
  /** Every message to `to`, interactive lists (`.produk` on the Cloud API) included, as JSON. */
  const sentTo = (to: string) => graph.accepted.filter((x) => x.body.to === to).map((x) => JSON.stringify(x.body));
  /** The messages are in hand, their replies hanging at the Graph API: kill, let WhatsApp answer again, restart. */
  const killWithRepliesHanging = async (buyers: string[]) => {
    await waitFor('the replies hanging', async () => buyers.every((b) => graph.held.includes(b)));
    await kedai!.stop('SIGKILL');
    graph.hold.clear();
    // Forget who was held, so that the next kill waits for its own replies, not for these.
    graph.held.length = 0;
    kedai = await spawnKedai(env);
  };

  it('answers each command cut off by two kills once it is back: reads again, a money command with what to check; nothing bought twice', async () => {
    const [a, b, c, d] = ['6289810000001', '6289810000002', '6289810000003', '6289810000004'];
    // Each waited for: messages sent at once are handled side by side, in no set order.
    await say(ADMIN, '.addproduk KILLR|Kill reply|5000');
    await waitFor('the product', async () => (await db.query(`SELECT 1 FROM products WHERE code = 'KILLR'`)).length === 1);
    await say(ADMIN, '.addstok KILLR\nKILLR-1\nKILLR-2');
    await waitFor('its stock', async () => (await db.query(`SELECT 1 FROM stock_items s JOIN products p ON p.id = s.product_id WHERE p.code = 'KILLR'`)).length === 2);
    await say(ADMIN, `.addsaldo ${b} 20000`);
    await waitFor('credited', async () => (await db.query(`SELECT 1 FROM users WHERE wa_id = $1 AND balance = 20000`, [b])).length === 1);
    await waitFor('b told of the credit', async () => texts(b).length === 1);

    // First kill: a .saldo and a .produk whose replies hang; and a refused .buy (no such product) whose refusal hangs.
    graph.hold.add(a).add(b).add(c);
    await say(a, '.saldo');
    await say(c, '.produk');
    await say(b, '.buy NOPE');
    await killWithRepliesHanging([a, b, c]);
    await waitFor('the read answered again', async () => texts(a).some((t) => t.includes('Rp0')), 20_000);
    await waitFor('the catalogue answered again', async () => sentTo(c).some((t) => t.includes('KILLR')), 20_000);
    await waitFor('the money command answered', async () => texts(b).includes(id.resumedMidway('.buy NOPE', '.')), 20_000);

    // Second kill: a purchase that went through, its answer (the goods, in the outbox) hanging; and a .saldo.
    graph.hold.add(b).add(d);
    await say(b, '.buy KILLR');
    await say(d, '.saldo');
    await killWithRepliesHanging([b, d]);
    // The goods were being sent when the process died: their row's lease (a minute) runs out.
    await db.query(`UPDATE outbox SET locked_until = now() WHERE status = 'sending'`);
    await waitFor('the goods delivered', async () => texts(b).some((t) => t.includes('KILLR-1')), 20_000);
    await waitFor('the read answered again', async () => texts(d).some((t) => t.includes('Rp0')), 20_000);
    await sleep(500);

    // Bought once, delivered once; every kept message finished.
    expect(await db.query(`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.kind = 'purchase'`, [b])).toEqual([{ n: 1 }]);
    expect(texts(b).filter((t) => t.includes('KILLR-1'))).toHaveLength(1);
    expect(await db.query(`SELECT balance::int FROM users WHERE wa_id = $1`, [b])).toEqual([{ balance: 15_000 }]);
    await waitFor('the kept messages finished', async () => (await db.query('SELECT 1 FROM inbound_queue')).length === 0);
    for (const buyer of [a, c, d]) expect(sentTo(buyer).length).toBeGreaterThanOrEqual(1);
    expect(await verifyInvariants(db)).toEqual([]);
  }, 120_000);
});
