import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitMessage } from '../src/adapters/whatsapp/split.js';
import { clip, cutAt } from '../src/domain/text.js';
import { ADMIN, adminSession, concurrentBackend, startKedai, type Harness } from './helpers.js';
import { startFakeGraph } from './fakes/graph.js';
import { waitFor } from './processes.js';
import { MAX_IN_FLIGHT } from '../src/bot/bot.js';

const SECRET = 'test-app-secret';
const VERIFY = 'test-verify-token';
const PHONE_ID = '109876543210';
const TOKEN = 'cloud-test-admin-token-0123456789';

let msgSeq = 0;
const textMessage = (from: string, body: string, id = `wamid.in.${++msgSeq}`) => ({ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } });
/** Meta's status webhook: what became of a message kedai sent. */
const statusWebhook = (id: string, status: string, errors?: object[]) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID }, statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '6288', ...(errors ? { errors } : {}) }] } }] }],
});
const webhook = (messages: object[], contacts: object[] = []) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID }, contacts, messages } }] }],
});

/** kedai on the Cloud API transport, talking to the Graph API fake at `graphUrl`. */
const cloudEnv = (graphUrl: string) => ({
  WHATSAPP_TRANSPORT: 'cloud',
  WHATSAPP_CLOUD_TOKEN: 'test-bearer-token',
  WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
  WHATSAPP_APP_SECRET: SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY,
  WHATSAPP_GRAPH_URL: graphUrl,
  WHATSAPP_PROBE_SECONDS: '1',
  ADMIN_TOKEN: TOKEN,
});

/** A Graph API fake and a kedai on the Cloud API transport talking to it. */
async function startCloud(env: Record<string, string> = {}) {
  const graph = await startFakeGraph();
  return { graph, h: await startKedai(concurrentBackend, { ...cloudEnv(graph.url), ...env }) };
}
async function stopCloud(h: Harness | undefined, graph: Awaited<ReturnType<typeof startFakeGraph>> | undefined) {
  await h?.stop();
  await graph?.close();
}

describe(`WhatsApp Cloud API (${concurrentBackend.name})`, () => {
  let h: Harness;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;

  /** Makes keeping an inbound message fail, as with the database down. */
  let failKeep = false;
  beforeAll(async () => {
    graph = await startFakeGraph();
    h = await startKedai(concurrentBackend, cloudEnv(graph.url), {
      wrapDb: (db) => ({
        ...db,
        query: (text: string, params?: readonly unknown[]) => (failKeep && text.includes('INSERT INTO inbound_queue') ? Promise.reject(new Error('database down')) : db.query(text, params)),
      }) as typeof db,
    });
  });
  afterAll(async () => stopCloud(h, graph));

  /** POSTs the raw bytes exactly as Meta would, signed unless told otherwise. */
  async function deliver(body: object, signature?: string) {
    const raw = JSON.stringify(body);
    const sig = signature ?? `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
    const res = await fetch(`${h.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig },
      body: raw,
    });
    await h.kedai.settle();
    return res.status;
  }
  const say = (from: string, text: string) => deliver(webhook([textMessage(from, text)]));

  it('answers the verification handshake only with the right token', async () => {
    const ok = await fetch(`${h.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${h.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it('handles two messages in one POST: two replies through the Graph API with the bearer token', async () => {
    const status = await deliver(
      webhook(
        [textMessage('6288100000001', '.menu'), textMessage('6288100000002', '.produk')],
        [{ wa_id: '6288100000001', profile: { name: 'Budi' } }],
      ),
    );
    expect(status).toBe(200);
    expect(graph.textsTo('6288100000001')).toEqual([expect.stringContaining('*Menu*')]);
    expect(graph.textsTo('6288100000002')).toEqual(['Belum ada produk.']);
    expect(graph.accepted.every((c) => c.authorization === 'Bearer test-bearer-token' && c.phoneNumberId === PHONE_ID)).toBe(true);
  });

  it('rejects a forged or missing signature and answers nothing', async () => {
    const before = graph.accepted.length;
    expect(await deliver(webhook([textMessage('6288100000003', '.menu')]), `sha256=${'0'.repeat(64)}`)).toBe(401);
    expect(await deliver(webhook([textMessage('6288100000003', '.menu')]), '')).toBe(401);
    expect(graph.accepted.length).toBe(before);
  });

  it('does not carry out a money command Meta retried an hour or 30 days after it was sent; answers reads as usual', async () => {
    const buyer = '6288100000099';
    const stamped = (text: string, ageS: number) => ({ ...textMessage(buyer, text), timestamp: String(Math.floor(Date.now() / 1000) - ageS) });
    await deliver(webhook([stamped('.deposit 10000', 3_600)]));
    await deliver(webhook([stamped('.deposit 20000', 30 * 86_400)]));
    await deliver(webhook([stamped('.menu', 3_600)]));
    const texts = graph.textsTo(buyer);
    expect(texts.filter((t) => t.includes('lebih dari 10 menit lalu'))).toHaveLength(2);
    expect(texts.at(-1)).toContain('menu');
    expect(await h.one(`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [buyer])).toEqual({ n: 0 });
  });

  it('answers the same message id once', async () => {
    const message = textMessage('6288100000004', '.menu', 'wamid.repeat.1');
    await deliver(webhook([message]));
    await deliver(webhook([message]));
    expect(graph.textsTo('6288100000004')).toHaveLength(1);
  });

  it('asks for text when a photo arrives, and ignores delivery statuses', async () => {
    await deliver(webhook([{ from: '6288100000005', id: 'wamid.img.1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { id: 'x' } }]));
    expect(graph.textsTo('6288100000005')).toEqual(['Kirim perintah dalam bentuk teks ya, contoh: .menu']);
    const before = graph.accepted.length;
    const statuses = { object: 'whatsapp_business_account', entry: [{ changes: [{ value: { statuses: [{ id: 'wamid.1', status: 'delivered' }] } }] }] };
    expect(await deliver(statuses)).toBe(200);
    expect(graph.accepted.length).toBe(before);
  });

  it('splits a 6,000-character delivery into two messages at a line boundary', async () => {
    const buyer = '6288100000006';
    const a = `A-${'x'.repeat(2_990)}`;
    const b = `B-${'y'.repeat(2_990)}`;
    await say(ADMIN, '.addproduk BIG|Big|1000');
    await say(ADMIN, `.addstok BIG\n${a}\n${b}`);
    await say(ADMIN, `.addsaldo ${buyer} 2000`);
    await say(buyer, '.buy BIG 2');
    const parts = graph.textsTo(buyer).filter((t) => !t.startsWith('Saldo kamu'));
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join('\n')).toContain(`${a}\n${b}`);
    expect(parts[0]!.endsWith(a)).toBe(true);
  });

  it('retries a Graph 500 and delivers once', async () => {
    graph.failures.push({ status: 500 });
    const attempts = graph.attempts();
    await say('6288100000007', '.menu');
    expect(graph.attempts() - attempts).toBe(2);
    expect(graph.textsTo('6288100000007')).toHaveLength(1);
  });

  it('records a 4xx from the Graph API as final: the outbox row is dead, not retried', async () => {
    const buyer = '6288100000008';
    graph.failures.push({ status: 400, to: buyer });
    await say(ADMIN, `.addsaldo ${buyer} 1000`); // the buyer's notice goes through the outbox
    const row = await h.one<{ status: string; attempts: unknown; last_error: string }>(
      `SELECT status, attempts, last_error FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`,
      [buyer],
    );
    expect(row).toMatchObject({ status: 'dead', attempts: expect.anything() });
    expect(Number(row.attempts)).toBe(1);
    expect(row.last_error).toContain('400');
  });

  const lastRow = (to: string) =>
    h.one<{ status: string; attempts: unknown; last_error: string | null; wait: unknown }>(
      `SELECT status, attempts, last_error, extract(epoch FROM next_attempt_at - now()) AS wait FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`,
      [to],
    );

  it.each([
    [131056, 'pair rate limit', 9],
    [130429, 'throughput limit', 1.9],
  ])('waits out a %s (%s, HTTP 400) instead of giving the message up, then delivers it', async (code, _what, atLeast) => {
    const buyer = `62881000${code}`;
    graph.failures.push({ status: 400, code, to: buyer });
    await say(ADMIN, `.addsaldo ${buyer} 1000`);
    const row = await lastRow(buyer);
    expect(row).toMatchObject({ status: 'pending' });
    expect(Number(row.attempts)).toBe(0); // a rate limit is not the message's fault
    expect(row.last_error).toContain(String(code));
    expect(Number(row.wait)).toBeGreaterThan(atLeast);
    expect(graph.textsTo(buyer)).toHaveLength(0);
    // Once the wait is over it goes out, once.
    await h.db.query(`UPDATE outbox SET next_attempt_at = now() WHERE recipient = $1 AND status = 'pending'`, [buyer]);
    await h.kedai.settle();
    expect(graph.textsTo(buyer)).toHaveLength(1);
    expect(await lastRow(buyer)).toMatchObject({ status: 'sent' });
  });

  it('reads statuses: delivered and read are recorded on the goods message and shown on the order page', async () => {
    const buyer = '6288100000300';
    await say(ADMIN, '.addproduk STAT|Status test|1000|desc');
    await say(ADMIN, '.addstok STAT\nSTAT-KEY-1');
    await say(ADMIN, `.addsaldo ${buyer} 5000`);
    await say(buyer, '.buy STAT');
    const goods = graph.accepted.find((c) => c.body.to === buyer && c.body.text?.body.includes('STAT-KEY-1'))!;
    const { public_id: orderId, id } = await h.one<{ public_id: string; id: string }>(
      `SELECT o.public_id, o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 ORDER BY o.id DESC LIMIT 1`,
      [buyer],
    );
    const receipt = async () => (await h.kedai.deps.store.autocommit.reports.deliveryReceipts(String(id)))[0]!;
    expect(await deliver(statusWebhook(graph.idOf(goods), 'delivered'))).toBe(200);
    await waitFor('delivered', async () => (await receipt()).deliveredAt !== null);
    expect(await receipt()).toMatchObject({ status: 'sent', readAt: null });
    await deliver(statusWebhook(graph.idOf(goods), 'read'));
    await waitFor('read', async () => (await receipt()).readAt !== null);
    const admin = await adminSession(h, TOKEN);
    expect(await admin(`/admin/orders/${orderId}`)).toMatch(/data-receipt>Pesan barang: dibaca/);
    // The buyer's own messages were marked read once handled.
    expect(graph.reads.length).toBeGreaterThan(0);
  });

  it('applies a failed status like a refusal: 131047 is given up with its reason and reported, 131056 is sent again later', async () => {
    const buyer = '6288100000400';
    await say(ADMIN, `.addsaldo ${buyer} 1000`);
    const notice = graph.accepted.filter((c) => c.body.to === buyer).at(-1)!;
    const adminBefore = graph.textsTo(ADMIN).length;
    await deliver(statusWebhook(graph.idOf(notice), 'failed', [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed' } }]));
    // The status is applied after the webhook answered 200.
    await waitFor('the dead letter', async () => (await lastRow(buyer)).status === 'dead');
    await h.kedai.settle();
    await waitFor('the admin notice', async () => graph.textsTo(ADMIN).slice(adminBefore).some((t) => t.includes(buyer)));
    const dead = await lastRow(buyer);
    expect(dead).toMatchObject({ status: 'dead' });
    expect(dead.last_error).toContain('131047');
    expect(graph.textsTo(ADMIN).slice(adminBefore).some((t) => t.includes(buyer) && t.includes('131047'))).toBe(true);
    // It does not vanish: the dashboard's home lists it with the reason.
    expect(await (await adminSession(h, TOKEN))('/admin')).toMatch(new RegExp(`data-attention>.*${buyer}.*131047`, 's'));
    // The same failed status again changes nothing more.
    await deliver(statusWebhook(graph.idOf(notice), 'failed', [{ code: 131047 }]));
    await new Promise((r) => setTimeout(r, 200));
    await h.kedai.settle();
    expect(graph.textsTo(ADMIN).slice(adminBefore).filter((t) => t.includes(buyer))).toHaveLength(1);

    const other = '6288100000401';
    await say(ADMIN, `.addsaldo ${other} 1000`);
    const first = graph.accepted.filter((c) => c.body.to === other).at(-1)!;
    await deliver(statusWebhook(graph.idOf(first), 'failed', [{ code: 131056, message: 'pair rate limit' }]));
    await waitFor('the row back in the queue', async () => (await lastRow(other)).status === 'pending');
    const again = await lastRow(other);
    expect(again).toMatchObject({ status: 'pending' });
    expect(Number(again.wait)).toBeGreaterThan(9);
    await h.db.query(`UPDATE outbox SET next_attempt_at = now() WHERE recipient = $1 AND status = 'pending'`, [other]);
    await h.kedai.settle();
    expect(graph.textsTo(other)).toHaveLength(2); // sent again, once
  });

  it('skips a back-in-stock notice refused outside the 24-hour window (no template): no admin notice, no dead letter to act on, counted on the dashboard', async () => {
    const buyer = '6288100000750';
    await say(ADMIN, '.addproduk BACKC|Kembali Cloud|1000|desc');
    await say(buyer, '.notify BACKC');
    expect(graph.textsTo(buyer).at(-1)).toContain('BACKC');
    const admin = await adminSession(h, TOKEN);
    expect(await admin('/admin/selling')).toMatch(/data-waiting>.*BACKC/s);
    graph.failures.push({ status: 400, code: 131047, to: buyer });
    const adminBefore = graph.textsTo(ADMIN).length;
    await say(ADMIN, '.addstok BACKC\nBACKC-1');
    await waitFor('given up', async () => (await lastRow(buyer)).status === 'dead');
    await new Promise((r) => setTimeout(r, 200));
    await h.kedai.settle();
    expect(await h.one(`SELECT kind, last_error FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`, [buyer])).toMatchObject({ kind: 'restock', last_error: expect.stringContaining('131047') });
    // The admins hear of the restock they made, not of each buyer it could not reach.
    expect(graph.textsTo(ADMIN).slice(adminBefore).some((t) => t.includes(buyer))).toBe(false);
    expect(await admin('/admin')).not.toContain(buyer);
    expect(await admin('/admin/selling')).toMatch(/data-restock-skipped>1</);
  });

  it('keeps a reply it could not send during a Graph outage and sends it afterwards: a .batal that committed is answered as done, not with an apology', async () => {
    const buyer = '6288100000600';
    await say(ADMIN, '.addproduk OUT|Outage test|1000|desc');
    await say(ADMIN, '.addstok OUT\nOUT-KEY-1');
    await say(buyer, '.buynow OUT');
    const link = graph.textsTo(buyer).at(-1)!;
    expect(link).toContain('Bayar di sini');
    // Graph answers 500 until the outage is over (however long the two commands take).
    graph.failures.push({ status: 500, until: Date.now() + 600_000 });
    await say(buyer, '.batal');
    await say(buyer, '.saldo');
    expect(await h.one(`SELECT o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 ORDER BY o.id DESC LIMIT 1`, [buyer])).toEqual({ status: 'cancelled' });
    expect(graph.textsTo(buyer)).toHaveLength(1); // nothing got through yet
    graph.failures.splice(0);
    await h.db.query(`UPDATE outbox SET next_attempt_at = now() WHERE recipient = $1 AND status = 'pending'`, [buyer]);
    await h.kedai.settle();
    const after = graph.textsTo(buyer).slice(1);
    expect(after).toHaveLength(2);
    expect(after[0]).toContain('dibatalkan');
    expect(after[1]).toContain('Rp');
    expect(after.some((t) => t.includes('gangguan'))).toBe(false);
  });

  it('keeps each message before the 200: 503 while it cannot (Meta retries), and one kept but never handled (the process died) is handled after', async () => {
    const buyer = '6288100000700';
    failKeep = true;
    expect(await say(buyer, '.saldo')).toBe(503);
    expect(graph.textsTo(buyer)).toEqual([]);
    failKeep = false;
    // Meta retries: now it is kept, handled, and leaves the queue.
    expect(await say(buyer, '.saldo')).toBe(200);
    await waitFor('the answer', async () => graph.textsTo(buyer).length === 1);
    await waitFor('the queue empty', async () => (await h.one<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_queue`)).n === 0);
    // A message acknowledged to Meta whose process died before handling it (kept, not handled): handled by the recovery.
    const lost = textMessage('6288100000701', '.saldo');
    const message = { id: lost.id, from: lost.from, name: '', text: '.saldo', at: new Date().toISOString(), chat: lost.from };
    await h.db.query(`INSERT INTO inbound_queue (message_id, message, received_at) VALUES ($1, $2, now() - interval '5 minutes')`, [lost.id, JSON.stringify(message)]);
    h.kedai.inboundRecovery!.kick();
    await h.kedai.inboundRecovery!.idle();
    await h.kedai.settle();
    expect(graph.textsTo('6288100000701')).toHaveLength(1);
    expect(await h.one<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_queue`)).toEqual({ n: 0 });
    // Handled once: a second recovery round (or Meta's replay) finds nothing more to do.
    await say('6288100000701', '.saldo'); // a new message id: answered
    expect(graph.textsTo('6288100000701')).toHaveLength(2);
  });

  it('pauses all sending while the token is refused (190, HTTP 401), gives nothing up, says so, and resumes by itself', async () => {
    const buyers = ['6288100000190', '6288100000191', '6288100000192'];
    const adminNotices = graph.textsTo(ADMIN).length;
    graph.failures.push({ status: 401, code: 190, until: Date.now() + 3_000 });
    for (const b of buyers) await say(ADMIN, `.addsaldo ${b} 1000`);
    const ready = async () => ((await (await fetch(`${h.url}/readyz`)).json()) as { whatsapp: { sending: string; reason?: string } }).whatsapp;
    // The public probe says paused, not why (the reason is the seller's: dashboard, .performa).
    expect(await ready()).toEqual({ sending: 'paused' });
    const report = await h.kedai.deps.ops!.report();
    expect(h.kedai.deps.texts.performa(report)).toContain('DIJEDA');
    expect(await (await adminSession(h, TOKEN))('/admin')).toMatch(/data-sending-paused>.*190/s);
    // Nothing is given up, and no dead-letter notice is made of it.
    expect(await h.one<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'dead' AND last_error LIKE '%190%'`)).toEqual({ n: 0 });
    // The token works again: within a probe interval every held message goes out, in order, once.
    await waitFor('every credit notice', async () => buyers.every((b) => graph.textsTo(b).length === 1), 15_000);
    await waitFor('resumed', async () => (await ready()).sending === 'ok');
    expect(await ready()).toEqual({ sending: 'ok' });
    expect(await h.kedai.deps.ops!.report()).toMatchObject({ sendingPaused: null });
    expect(graph.textsTo(ADMIN).slice(adminNotices).filter((t) => t.includes('gagal terkirim'))).toEqual([]);
  });
});

describe(`WhatsApp Cloud API outside the 24-hour window, with a notice template (${concurrentBackend.name})`, () => {
  let h: Harness;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  beforeAll(async () => ({ h, graph } = await startCloud({ WHATSAPP_NOTICE_TEMPLATE: 'kedai_notice:id' })));
  afterAll(async () => stopCloud(h, graph));

  it('sends a notice refused with 131047 again as the approved template, its text as the one parameter; a refused template is given up', async () => {
    const raw = JSON.stringify(webhook([textMessage(ADMIN, '.addsaldo 6288100000500 2500')]));
    graph.failures.push({ status: 400, code: 131047, to: '6288100000500' });
    await fetch(`${h.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
      body: raw,
    });
    await waitFor('the template', async () => graph.accepted.some((c) => c.body.to === '6288100000500'));
    const sent = graph.accepted.find((c) => c.body.to === '6288100000500')!.body as unknown as {
      type: string;
      template: { name: string; language: { code: string }; components: { type: string; parameters: { type: string; text: string }[] }[] };
    };
    expect(sent.type).toBe('template');
    expect(sent.template).toMatchObject({ name: 'kedai_notice', language: { code: 'id' } });
    const param = sent.template.components[0]!.parameters[0]!.text;
    expect(param).toContain('Rp2.500');
    expect(param).not.toMatch(/[\n\t]| {4}/);
    const row = () => h.one<{ status: string; as_template: boolean }>(`SELECT status, as_template FROM outbox WHERE recipient = '6288100000500' ORDER BY id DESC LIMIT 1`);
    await waitFor('marked sent', async () => (await row()).status === 'sent');
    expect(await row()).toEqual({ status: 'sent', as_template: true });

    // Refused again as a template: given up with the reason, not looped.
    graph.failures.push({ status: 400, code: 131047, to: '6288100000501' }, { status: 400, code: 131047, to: '6288100000501' });
    const raw2 = JSON.stringify(webhook([textMessage(ADMIN, '.addsaldo 6288100000501 2500')]));
    await fetch(`${h.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw2).digest('hex')}` },
      body: raw2,
    });
    await waitFor('given up', async () => (await h.one<{ status: string } | undefined>(`SELECT status FROM outbox WHERE recipient = '6288100000501' ORDER BY id DESC LIMIT 1`))?.status === 'dead');
    expect(graph.accepted.some((c) => c.body.to === '6288100000501')).toBe(false);
  });

  it('sends a back-in-stock notice to a buyer outside the 24-hour window as the template', async () => {
    const buyer = '6288100000502';
    const say = async (from: string, text: string) => {
      const raw = JSON.stringify(webhook([textMessage(from, text)]));
      await fetch(`${h.url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
        body: raw,
      });
      await h.kedai.settle();
    };
    await say(ADMIN, '.addproduk BACKT|Kembali Template|1000|desc');
    await say(buyer, '.notify BACKT');
    await waitFor('the wish confirmed', async () => graph.textsTo(buyer).length === 1);
    graph.failures.push({ status: 400, code: 131047, to: buyer });
    await say(ADMIN, '.addstok BACKT\nBACKT-1');
    await waitFor('the template', async () => graph.accepted.some((c) => c.body.to === buyer && c.body.type === 'template'));
    const sent = graph.accepted.filter((c) => c.body.to === buyer).at(-1)!.body as unknown as { template: { components: { parameters: { text: string }[] }[] } };
    expect(sent.template.components[0]!.parameters[0]!.text).toContain('.buy BACKT');
    const row = () => h.one<{ status: string; kind: string }>(`SELECT status, kind FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`, [buyer]);
    await waitFor('marked sent', async () => (await row()).status === 'sent');
    expect(await row()).toEqual({ status: 'sent', kind: 'restock' });
  });
});

describe(`WhatsApp Cloud API sends in flight (${concurrentBackend.name})`, () => {
  let h: Harness;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  beforeAll(async () => ({ h, graph } = await startCloud({ WHATSAPP_SEND_PER_SECOND: '100' })));
  afterAll(async () => {
    graph?.hold.clear();
    await stopCloud(h, graph);
  });

  it('keeps as many sends in flight as the pace needs when each takes long at Meta (100/s: 30, not a fixed 20), and sends each once', async () => {
    const to = Array.from({ length: 60 }, (_, i) => `62887${String(i).padStart(7, '0')}`);
    for (const r of to) graph.hold.add(r);
    await h.db.query(`INSERT INTO outbox (recipient, body, kind) SELECT unnest($1::text[]), 'Halo dari toko', 'notice'`, [to]);
    // Every held send hangs: how many are in flight at once is how many the fake holds.
    await waitFor('30 sends in flight', async () => graph.held.length >= 30, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.held.length).toBe(30);
    graph.hold.clear();
    await waitFor('all sent', async () => (await h.one<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent' AND recipient LIKE '62887%'`)).n === 60, 20_000);
    expect(new Set(graph.accepted.filter((c) => c.body.to.startsWith('62887')).map((c) => c.body.to)).size).toBe(60);
    expect(graph.accepted.filter((c) => c.body.to.startsWith('62887'))).toHaveLength(60);
  });
});

describe(`a burst of messages (${concurrentBackend.name})`, () => {
  let h: Harness;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  beforeAll(async () => ({ h, graph } = await startCloud({ WHATSAPP_SEND_PER_SECOND: '1000' })));
  afterAll(async () => {
    graph?.hold.clear();
    await stopCloud(h, graph);
  });

  /** A signed webhook as Meta posts it, without waiting for kedai to go quiet. */
  const post = (from: string, text: string, id?: string) => {
    const raw = JSON.stringify(webhook([textMessage(from, text, id)]));
    return fetch(`${h.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
      body: raw,
    }).then((r) => r.status);
  };

  it(`handles ${MAX_IN_FLIGHT} messages side by side while the database is slow, the rest in turn: all acknowledged at once, each buyer served once`, async () => {
    const total = MAX_IN_FLIGHT + 40;
    const buyers = Array.from({ length: total }, (_, i) => `62876${String(i).padStart(7, '0')}`);
    const [product] = await h.db.query<{ id: string }>(`INSERT INTO products (code, name, price, description, stock_added) VALUES ('BURST', 'Burst', 1000, '', $1) RETURNING id`, [total]);
    await h.db.query(`INSERT INTO stock_items (product_id, payload, position) SELECT $1, 'BURST-ITEM-' || g, g FROM generate_series(1, $2::int) g`, [product!.id, total]);
    await h.db.query(`INSERT INTO users (wa_id, name) SELECT unnest($1::text[]), 'burst'`, [buyers]);
    await h.db.query(`INSERT INTO ledger_entries (user_id, amount, kind, note) SELECT id, 5000, 'adjustment', 'test' FROM users WHERE wa_id = ANY($1::text[])`, [buyers]);
    // The product's row locked elsewhere: every purchase waits for it, before any answer.
    let unlock = () => undefined as void;
    const locked = new Promise<void>((r) => (unlock = r));
    let holding = false;
    const lock = h.db.transaction(async (sql) => {
      await sql.query(`SELECT 1 FROM products WHERE code = 'BURST' FOR UPDATE`);
      holding = true;
      await locked;
    });
    await waitFor('the product locked', async () => holding, 5_000);
    const ids = buyers.map((_, i) => `wamid.burst.${i}.${Date.now()}`);
    const statuses = await Promise.all(buyers.map((from, i) => post(from, '.buy BURST', ids[i])));
    expect(new Set(statuses)).toEqual(new Set([200])); // every message kept and acknowledged at once
    // A message started is one the dedupe has recorded: exactly MAX_IN_FLIGHT, the rest waiting their turn.
    const started = async () => (await h.one<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages WHERE message_id = ANY($1::text[])`, [ids])).n;
    await waitFor('the first messages started', async () => (await started()) >= MAX_IN_FLIGHT, 10_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await started()).toBe(MAX_IN_FLIGHT);
    unlock();
    await lock;
    const goods = () => graph.accepted.filter((c) => c.body.to.startsWith('62876') && (c.body.text?.body ?? '').includes('BURST-ITEM-'));
    await waitFor('every buyer served', async () => goods().length >= total, 30_000);
    await h.kedai.settle();
    expect(goods()).toHaveLength(total);
    expect(new Set(goods().map((c) => c.body.to)).size).toBe(total);
    expect(await h.one(`SELECT count(*)::int AS n FROM stock_items WHERE product_id = $1 AND status = 'sold'`, [product!.id])).toEqual({ n: total });
    // Response times count from arrival: those that waited for a place waited as long as the lock was held too.
    const histogram = (await h.kedai.metrics.registry.getSingleMetric('kedai_response_seconds')!.get()).values;
    const buckets = histogram as { metricName?: string; labels: Record<string, string | number>; value: number }[];
    const buys = (le: number | string) => buckets.find((v) => v.metricName === 'kedai_response_seconds_bucket' && v.labels.command === 'buy' && v.labels.le === le)?.value;
    expect([buys('+Inf'), buys(0.25)]).toEqual([total, 0]);
  });

  it('lets a message whose reply hangs at Graph give its place up: the messages behind it are answered', async () => {
    const stuck = Array.from({ length: MAX_IN_FLIGHT + 40 }, (_, i) => `62878${String(i).padStart(7, '0')}`);
    const tapped = '628790000001';
    for (const r of stuck) graph.hold.add(r);
    const statuses = await Promise.all(stuck.map((from) => post(from, '.buy NOSUCH')));
    expect(new Set(statuses)).toEqual(new Set([200])); // every message kept and acknowledged at once
    // The refusals are answered by direct reply: the first MAX_IN_FLIGHT are held at Graph, and since a
    // hanging reply gives its place up, the others follow them there.
    await waitFor('every refusal at Graph', async () => new Set(graph.held).size === stuck.length, 20_000);
    // With every reply hanging, a new buyer is still answered.
    await post(tapped, '.menu');
    await waitFor('the new buyer answered', async () => graph.accepted.some((c) => c.body.to === tapped), 10_000);
    graph.hold.clear();
    await waitFor('every refusal sent', async () => new Set(graph.accepted.filter((c) => c.body.to.startsWith('62878')).map((c) => c.body.to)).size === stuck.length, 20_000);
    await h.kedai.settle();
    const answers = graph.accepted.filter((c) => c.body.to.startsWith('62878'));
    expect(answers).toHaveLength(stuck.length);
  });
});

describe('splitting long messages', () => {
  it('keeps short texts whole and cuts long ones at lines, or inside one over-long line', () => {
    expect(splitMessage('halo')).toEqual(['halo']);
    expect(splitMessage('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(splitMessage('x'.repeat(10), 4)).toEqual(['xxxx', 'xxxx', 'xx']);
    const long = Array.from({ length: 300 }, (_, i) => `line ${i} ${'z'.repeat(40)}`).join('\n');
    const parts = splitMessage(long);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });

  it('never cuts a character in half: emoji, flags and joined emoji stay whole in splits and clips', () => {
    const halfSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const emoji = `x${'😀'.repeat(3000)}`; // 6,001 code units, every cut at 4,096 units would fall inside one
    const parts = splitMessage(emoji);
    expect(parts.map((p) => [p.length <= 4096, halfSurrogate.test(p)])).toEqual(parts.map(() => [true, false]));
    expect(parts.join('')).toBe(emoji);
    expect(splitMessage('ab👨‍👩‍👧cd', 9)).toEqual(['ab', '👨‍👩‍👧c', 'd']);
    expect(clip('🇮🇩🇮🇩🇮🇩', 2)).toBe('🇮🇩…');
    expect(clip('Kopi ☕️ enak', 40)).toBe('Kopi ☕️ enak');
    expect(cutAt('é'.normalize('NFD').repeat(3), 3)).toBe('é'.normalize('NFD'));
  });
});

describe(`WhatsApp Cloud API tappable catalogue (${concurrentBackend.name})`, () => {
  let h: Harness;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  beforeAll(async () => ({ h, graph } = await startCloud()));
  afterAll(async () => stopCloud(h, graph));
  async function deliver(message: object) {
    const raw = JSON.stringify(webhook([message]));
    const res = await fetch(`${h.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
      body: raw,
    });
    expect(res.status).toBe(200);
    await h.kedai.settle();
  }
  const say = (from: string, text: string) => deliver(textMessage(from, text));
  const listsTo = (to: string) => graph.accepted.filter((c) => c.body.to === to && c.body.type === 'interactive').map((c) => c.body.interactive!);

  it('sends .produk as an interactive list of the documented shape, and a tapped row is handled as its command', async () => {
    await say(ADMIN, '.addproduk ML86|86 Diamond Mobile Legends Bang Bang|20000|Top up cepat|Game');
    await say(ADMIN, '.addstok ML86\nML-1\nML-2');
    await say(ADMIN, '.addproduk NFX1|Netflix 1 bulan|35000|Akun premium|Streaming');
    for (let i = 0; i < 10; i++) await say(ADMIN, `.addproduk G${i}|Game voucher ${i}|${10_000 + i}||Game`);
    const buyer = '6288100000101';
    await say(buyer, '.produk');
    const [overview] = listsTo(buyer);
    expect(overview).toMatchObject({ type: 'list', body: { text: expect.stringContaining('Daftar produk') }, action: { button: 'Pilih kategori' } });
    expect(overview!.action.sections[0]!.rows).toEqual([
      { id: '.produk Game', title: 'Game', description: '11 produk' },
      { id: '.produk Streaming', title: 'Streaming', description: '1 produk' },
    ]);

    // The buyer taps "Game": the list_reply carries the row id back.
    await deliver({ from: buyer, id: 'wamid.tap.1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: '.produk Game', title: 'Game' } } });
    const game = listsTo(buyer)[1]!;
    const rows = game.action.sections.flatMap((s) => s.rows);
    expect(rows.length).toBeLessThanOrEqual(10);
    expect(game.action.sections.length).toBeLessThanOrEqual(10);
    for (const s of game.action.sections) expect(s.title.length).toBeLessThanOrEqual(24);
    for (const r of rows) {
      expect(r.id.length).toBeLessThanOrEqual(200);
      expect(r.title.length).toBeLessThanOrEqual(24);
      expect((r.description ?? '').length).toBeLessThanOrEqual(72);
    }
    expect(game.action.button.length).toBeLessThanOrEqual(20);
    expect(rows.at(-1)).toEqual({ id: '.produk Game 2', title: 'Halaman berikutnya', description: 'halaman 2/2' });
    expect(rows.slice(0, 9).map((r) => r.id)).toEqual(['.info G0', '.info G1', '.info G2', '.info G3', '.info G4', '.info G5', '.info G6', '.info G7', '.info G8']);

    // The next-page row works like the typed command.
    await deliver({ from: buyer, id: 'wamid.tap.2', timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: '.produk Game 2', title: 'x' } } });
    const second = listsTo(buyer)[2]!.action.sections.flatMap((s) => s.rows);
    expect(second.map((r) => r.id)).toEqual(['.info G9', '.info ML86']);
    const ml = second[1]!;
    expect(ml).toEqual({ id: '.info ML86', title: '86 Diamond Mobile Legen…', description: 'ML86 · Rp20.000 · stok 2' });

    // Tapping the product row sends its details with how to buy, as text.
    await deliver({ from: buyer, id: 'wamid.tap.3', timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: ml.id, title: ml.title } } });
    const details = graph.textsTo(buyer).at(-1)!;
    expect(details).toContain('*86 Diamond Mobile Legends Bang Bang* (ML86)');
    expect(details).toContain('Beli: .buy ML86');
  });
});
