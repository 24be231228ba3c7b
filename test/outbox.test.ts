import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { CLAIM_DUE, outboxQueue } from '../src/adapters/postgres/repos/outbox.js';
import type { OutboundMessage, Transport } from '../src/app/ports.js';
import { loadConfig } from '../src/config.js';
import { createKedai } from '../src/compose.js';
import { createOutboxDispatcher } from '../src/jobs/outbox-dispatcher.js';
import { backoffSeconds } from '../src/jobs/poller.js';
import { bucketPaced, humanPaced } from '../src/adapters/whatsapp/pacing.js';
import { RetryLater, SendingBlocked } from '../src/app/ports.js';
import { createLogger } from '../src/log.js';
import type { WebChatTransport } from '../src/adapters/whatsapp/webchat.js';
import { ADMIN, backends, freePort } from './helpers.js';

const log = createLogger({ level: 'silent', pretty: false });

describe('the retry backoff', () => {
  it('never comes straight back: each retry waits between half and all of its doubling cap', () => {
    for (let attempts = 1; attempts <= 10; attempts++) {
      const cap = Math.min(600, 5 * 2 ** (attempts - 1));
      const waits = Array.from({ length: 2_000 }, () => backoffSeconds(attempts));
      expect([attempts, Math.min(...waits) >= cap / 2, Math.max(...waits) <= cap]).toEqual([attempts, true, true]);
      // Still spread out, so many rows failed together do not retry together.
      expect(new Set(waits.map((w) => Math.floor((w / cap) * 10))).size).toBeGreaterThanOrEqual(4);
    }
  });
});

/** A transport that records sends and fails the ones `fail` says to. */
function flakyTransport(fail: (to: string, text: string) => boolean): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: 'flaky',
    sent,
    async start() {},
    async stop() {},
    async send(to: string, msg: OutboundMessage) {
      if (fail(to, msg.text)) throw new Error(`send to ${to} failed`);
      sent.push(msg.text);
    },
  };
}

/** A transport that only sends (how is the test's), named as the dispatcher sees it. */
const sending = (name: string, send: Transport['send']): Transport => ({ name, async start() {}, async stop() {}, send });

describe.each(backends)('the outbox on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await backend.open());
    await migrate(db);
  });
  afterAll(async () => drop?.());

  const enqueue = async (to: string, text: string) =>
    db.query(`INSERT INTO outbox (recipient, body, kind) VALUES ($1, $2, 'notice')`, [to, text]);
  const makeDue = () => db.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'`);

  it('hands goods and payment links to the transport as value messages, chat-like notices not', async () => {
    const seen: { text: string; priority: string | undefined }[] = [];
    const transport = sending('cloud', async (_to, msg) => void seen.push({ text: msg.text, priority: msg.priority }));
    await db.query(`INSERT INTO outbox (recipient, body, kind) VALUES ('6280000000191', 'GOODS', 'delivery'), ('6280000000192', 'LINK', 'payment_link'), ('6280000000193', 'HELLO', 'notice')`);
    const dispatcher = createOutboxDispatcher(outboxQueue(db), transport, log);
    dispatcher.kick();
    await dispatcher.idle();
    expect(seen.sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      { text: 'GOODS', priority: 'value' },
      { text: 'HELLO', priority: undefined },
      { text: 'LINK', priority: 'value' },
    ]);
    await db.query(`DELETE FROM outbox WHERE recipient IN ('6280000000191', '6280000000192', '6280000000193')`);
  });

  it('claims with one index probe per candidate for an older unsent message, whatever plan the prepared statement gets', async () => {
    // As an anti-join, the generic plan from a young table's statistics read every unsent row once per candidate (6.4 ms a claim in a burst).
    const plan = await db.transaction(async (sql) => {
      await sql.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await sql.query(`PREPARE claim_probe(integer, integer, jsonb, bigint[]) AS ${CLAIM_DUE}`);
      const [row] = await sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE claim_probe(20, 30, '[["1", ["wamid.1"]]]', '{1}')`);
      await sql.query('DEALLOCATE claim_probe');
      return JSON.stringify(row!['QUERY PLAN']);
    });
    expect(plan).not.toMatch(/Anti Join/);
    expect(plan).toMatch(/"Subplan Name":\s*"SubPlan/);
    expect(plan).toMatch(/"Index Name":\s*"outbox_recipient_waiting"[^}]*"Index Cond":\s*"\(\(recipient = o\.recipient\) AND \(id < o\.id\)\)"/);
  });

  it("marks finished rows sent and claims in one statement, in which a recipient's next row becomes due", async () => {
    const to = '6280000000181';
    await enqueue(to, 'R1');
    await enqueue(to, 'R2');
    await enqueue('6280000000182', 'S1');
    const queue = outboxQueue(db);
    const first = await queue.claim(10, 30);
    expect(first.map((r) => r.body)).toEqual(['R1', 'S1']); // R2 waits behind R1
    const r1 = first.find((r) => r.body === 'R1')!;
    const s1 = first.find((r) => r.body === 'S1')!;
    // R1 and S1 returned: marked sent, and R2 is claimed by that same statement.
    const next = await queue.claim(10, 30, [
      { outboxId: r1.outboxId, providerIds: ['wamid.R1'] },
      { outboxId: s1.outboxId, providerIds: [] },
    ]);
    expect(next.map((r) => r.body)).toEqual(['R2']);
    const rows = await db.query<{ body: string; status: string; wa_ids: string[] | null }>(
      `SELECT body, status, wa_ids FROM outbox WHERE recipient IN ($1, '6280000000182') ORDER BY id`,
      [to],
    );
    expect(rows).toEqual([
      { body: 'R1', status: 'sent', wa_ids: ['wamid.R1'] },
      { body: 'R2', status: 'sending', wa_ids: null },
      { body: 'S1', status: 'sent', wa_ids: null },
    ]);
    // Marking with nothing left to claim still marks.
    expect(await queue.claim(0, 30, [{ outboxId: next[0]!.outboxId, providerIds: ['wamid.R2'] }])).toEqual([]);
    expect(await db.query(`SELECT status FROM outbox WHERE body = 'R2'`)).toEqual([{ status: 'sent' }]);
    await db.query(`DELETE FROM outbox WHERE recipient IN ($1, '6280000000182')`, [to]);
  });

  it('settles a busy stream of sends in a few statements, not two per message', async () => {
    // Each outbox statement counted: the rounds mark the sends that returned and refill their slots together.
    let statements = 0;
    const counted = { ...db, query: ((text: string, params?: unknown[]) => {
      if (/outbox/.test(text)) statements++;
      return db.query(text, params);
    }) as typeof db.query };
    const sent: string[] = [];
    const transport = sending('cloud', async (_to, msg) => {
      await new Promise((r) => setTimeout(r, 1 + Math.random() * 3)); // a Graph call's round trip
      sent.push(msg.text);
    });
    const bodies = Array.from({ length: 200 }, (_, i) => `busy-${i}`);
    await db.query(`INSERT INTO outbox (recipient, body, kind) SELECT '62800001' || lpad((g % 50)::text, 5, '0'), 'busy-' || g, 'notice' FROM generate_series(0, 199) g`);
    const dispatcher = createOutboxDispatcher(outboxQueue(counted), transport, log, { concurrency: 20 });
    dispatcher.kick();
    await dispatcher.idle();
    expect([...sent].sort()).toEqual([...bodies].sort());
    expect(await db.query(`SELECT count(*)::int AS n FROM outbox WHERE body LIKE 'busy-%' AND status = 'sent'`)).toEqual([{ n: 200 }]);
    // One claim and one mark per message would be 400 statements.
    expect(statements).toBeLessThan(100);
    await db.query(`DELETE FROM outbox WHERE body LIKE 'busy-%'`);
  });

  it('does not lose a returned send when its round fails: the row is sent again once the database answers', async () => {
    let failNext = false;
    const flaky = { ...db, query: ((text: string, params?: unknown[]) => {
      if (failNext && /WITH done/.test(text) && Array.isArray(params) && (params[3] as unknown[]).length > 0) {
        failNext = false;
        return Promise.reject(new Error('connection terminated'));
      }
      return db.query(text, params);
    }) as typeof db.query };
    const transport = flakyTransport(() => false);
    await enqueue('6280000000183', 'once-more');
    const dispatcher = createOutboxDispatcher(outboxQueue(flaky), transport, log);
    failNext = true;
    dispatcher.kick();
    await dispatcher.idle();
    // The mark was lost with its round: the row went back to the queue, not to 'sent' and not dropped.
    expect(await db.query(`SELECT status FROM outbox WHERE body = 'once-more'`)).toEqual([{ status: 'pending' }]);
    await makeDue();
    dispatcher.kick();
    await dispatcher.idle();
    expect(transport.sent).toEqual(['once-more', 'once-more']);
    expect(await db.query(`SELECT status FROM outbox WHERE body = 'once-more'`)).toEqual([{ status: 'sent' }]);
    await db.query(`DELETE FROM outbox WHERE recipient = '6280000000183'`);
  });

  it('resumes at once when a probe goes through after WhatsApp refused the sender: the held rows leave together, not at the next poll', async () => {
    let refused = true;
    const sent: string[] = [];
    const transport = sending('cloud', async (_to, msg) => {
      if (refused) throw new SendingBlocked('graph 190: token expired', 190);
      sent.push(msg.text);
    });
    await db.query(`INSERT INTO outbox (recipient, body, kind) SELECT '62800002' || lpad(g::text, 5, '0'), 'held-' || g, 'notice' FROM generate_series(1, 5) g`);
    // A poll a minute away: only a kick moves the dispatcher.
    const dispatcher = createOutboxDispatcher(outboxQueue(db), transport, log, { probeSeconds: 0.2, pollMs: 60_000 });
    dispatcher.kick();
    await dispatcher.idle();
    expect(dispatcher.paused()).toMatchObject({ reason: expect.stringContaining('190') });
    refused = false;
    await new Promise((r) => setTimeout(r, 300)); // past the probe time and the rows' postponement
    dispatcher.kick(); // the probe: one row
    await dispatcher.idle();
    expect(dispatcher.paused()).toBeNull();
    expect(sent.sort()).toEqual(['held-1', 'held-2', 'held-3', 'held-4', 'held-5']);
    await db.query(`DELETE FROM outbox WHERE body LIKE 'held-%'`);
  });

  it('retries a failed send and keeps one recipient in order while others go on', async () => {
    let failOnce = true;
    const transport = flakyTransport((to) => {
      if (to === '6280000000101' && failOnce) {
        failOnce = false;
        return true;
      }
      return false;
    });
    const dispatcher = createOutboxDispatcher(outboxQueue(db), transport, log);
    await enqueue('6280000000101', 'A1');
    await enqueue('6280000000101', 'A2');
    await enqueue('6280000000102', 'B1');
    dispatcher.kick();
    await dispatcher.idle();
    expect(transport.sent).toEqual(['B1']);
    await makeDue();
    dispatcher.kick();
    await dispatcher.idle();
    expect(transport.sent).toEqual(['B1', 'A1', 'A2']);
    const rows = await db.query<{ body: string; status: string; attempts: number }>(`SELECT body, status, attempts FROM outbox ORDER BY id`);
    expect(rows.map((r) => [r.body, r.status, Number(r.attempts)])).toEqual([
      ['A1', 'sent', 2],
      ['A2', 'sent', 1],
      ['B1', 'sent', 1],
    ]);
  });

  it('gives up after the last attempt and keeps the row as dead', async () => {
    const transport = flakyTransport((to) => to === '6280000000103');
    const dispatcher = createOutboxDispatcher(outboxQueue(db), transport, log, { maxAttempts: 3 });
    await enqueue('6280000000103', 'never');
    for (let i = 0; i < 3; i++) {
      await makeDue();
      dispatcher.kick();
      await dispatcher.idle();
    }
    expect(await db.query(`SELECT status, attempts, last_error FROM outbox WHERE body = 'never'`)).toEqual([
      { status: 'dead', attempts: 3, last_error: 'send to 6280000000103 failed' },
    ]);
  });

  it('sends again a row whose sender died mid-send (expired lease)', async () => {
    await enqueue('6280000000104', 'orphan');
    await db.query(`UPDATE outbox SET status = 'sending', attempts = 1, locked_until = now() - interval '1 second' WHERE body = 'orphan'`);
    const transport = flakyTransport(() => false);
    const dispatcher = createOutboxDispatcher(outboxQueue(db), transport, log);
    dispatcher.kick();
    await dispatcher.idle();
    expect(transport.sent).toEqual(['orphan']);
  });
});

describe.each(backends)('a claim behind a backlog the statistics never saw, on $name', (backend) => {
  it("probes each candidate's recipient in the index made for it, not every older unsent row", async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      // The statistics are taken as they usually are: everything sent, nothing waiting.
      await db.query(`INSERT INTO outbox (recipient, body, kind, status) SELECT '628' || g, 'old', 'notice', 'sent' FROM generate_series(1, 20000) g`);
      await db.query('ANALYZE outbox');
      // Then a rate limit postpones 3,000 messages, and the due ones queue behind them.
      await db.query(`INSERT INTO outbox (recipient, body, kind, next_attempt_at) SELECT '627' || g, 'later', 'notice', now() + interval '1 hour' FROM generate_series(1, 3000) g`);
      await db.query(`INSERT INTO outbox (recipient, body, kind) SELECT '629' || g, 'due', 'notice' FROM generate_series(1, 500) g`);
      const plan = await db.transaction(async (sql) => {
        await sql.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await sql.query(`PREPARE backlog_probe(integer, integer, jsonb, bigint[]) AS ${CLAIM_DUE}`);
        const [row] = await sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE backlog_probe(300, 30, '[]', '{}')`);
        return JSON.stringify(row!['QUERY PLAN']);
      });
      // With the unsent statuses named as outbox_due names them, this probe read outbox_due instead:
      // every older unsent row for each of the 300 candidates (92 ms a claim behind 5,000).
      expect(plan).toMatch(/"Index Name":\s*"outbox_recipient_waiting"[^}]*"Index Cond":\s*"\(\(recipient = o\.recipient\) AND \(id < o\.id\)\)"/);
      expect(plan).not.toMatch(/"Index Name":\s*"outbox_due"[^}]*"Index Cond":\s*"\(id < o\.id\)"/);
      expect(await db.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sending'`)).toEqual([{ n: 300 }]);
    } finally {
      await drop();
    }
  });
});

describe.each(backends)('a restart between sale and send, on $name', (backend) => {
  it('still delivers the goods once the bot is back', async () => {
    const { db, drop } = await backend.open();
    try {
      const port = await freePort();
      const configOn = (p: number) => loadConfig({ PORT: String(p), ADMIN_NUMBERS: ADMIN, DATABASE_URL: 'postgres://unused', WHATSAPP_TRANSPORT: 'webchat', MIDTRANS_SANDBOX: 'true' });
      const config = configOn(port);
      // First life: the process dies after each commit, before its dispatcher sends anything.
      const first = await createKedai(config, { log, db });
      first.dispatcher.start = () => undefined;
      first.dispatcher.kick = () => undefined;
      await first.start();
      const buyer = '6281234500001';
      const say = async (from: string, text: string) => (first.transport as WebChatTransport).receive(from, '', text);
      await say(ADMIN, '.addproduk KEY|Key|1000');
      await first.bot.idle();
      await say(ADMIN, '.addstok KEY\nTHE-KEY-123');
      await first.bot.idle();
      await say(ADMIN, `.addsaldo ${buyer} 1000`);
      await first.bot.idle();
      await say(buyer, '.buy KEY');
      await first.bot.idle();
      await first.stop();
      expect(await db.query(`SELECT status FROM orders`)).toEqual([{ status: 'delivered' }]);
      expect((first.transport as WebChatTransport).messages(buyer)).toEqual([expect.objectContaining({ direction: 'in' })]);

      // Second life: the pending delivery goes out.
      // A new port: the old one may already belong to another test by now.
      const second = await createKedai(configOn(await freePort()), { log, db });
      await second.start();
      await second.settle();
      const messages = (second.transport as WebChatTransport).messages(buyer).map((m) => m.text);
      expect(messages.filter((t) => t.includes('THE-KEY-123'))).toHaveLength(1);
      await second.stop();
    } finally {
      await drop();
    }
  });
});

describe.each(backends)('no head-of-line blocking on $name', (backend) => {
  it('a hanging send holds only its own recipient: the others go out and are marked sent as each returns; the hung one is retried after its deadline', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      const hung = '6280000000301';
      let release = () => undefined as void;
      const hang = new Promise<void>((r) => (release = r));
      const sent: string[] = [];
      const transport = sending('hangs', async (to, msg) => {
        if (to === hung && msg.text === 'first') await hang; // a Graph call that never answers
        sent.push(`${to}:${msg.text}`);
      });
      await db.query(`INSERT INTO outbox (recipient, body, kind) VALUES ($1, 'first', 'notice'), ($1, 'second', 'notice')`, [hung]);
      for (let i = 0; i < 5; i++) await db.query(`INSERT INTO outbox (recipient, body, kind) VALUES ($1, 'hello', 'notice')`, [`628000000040${i}`]);
      const dispatcher = createOutboxDispatcher(outboxQueue(db), transport, log, { sendTimeoutMs: 1_500 });
      dispatcher.kick();
      // Every other recipient's message is out, and marked sent, while the first send still hangs.
      const deadline = Date.now() + 1_000;
      let rows: { recipient: string; body: string; status: string }[] = [];
      while (Date.now() < deadline) {
        rows = await db.query<{ recipient: string; body: string; status: string }>(`SELECT recipient, body, status FROM outbox ORDER BY id`);
        if (rows.filter((r) => r.status === 'sent').length === 5) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(rows.filter((r) => r.recipient !== hung).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
      expect(rows.filter((r) => r.recipient === hung).map((r) => r.status)).toEqual(['sending', 'pending']); // in order: the second waits
      // Past its deadline the slot is free and the row goes back to the queue with a reason.
      await dispatcher.idle();
      const [first] = await db.query<{ status: string; last_error: string }>(`SELECT status, last_error FROM outbox WHERE recipient = $1 AND body = 'first'`, [hung]);
      expect(first).toMatchObject({ status: 'pending', last_error: expect.stringContaining('timed out') });
      release();
      expect(sent.filter((x) => x.startsWith(hung))).toEqual([]);
    } finally {
      await drop();
    }
  });
});

describe.each(backends)('dispatching at scale on $name', (backend) => {
  it('two dispatchers on one database send every row exactly once', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      const bodies = Array.from({ length: 120 }, (_, i) => `msg-${i}`);
      for (const b of bodies) await db.query(`INSERT INTO outbox (recipient, body, kind) VALUES ($1, $2, 'notice')`, [`62800000${String(bodies.indexOf(b) % 7).padStart(5, '0')}`, b]);
      const transport = flakyTransport(() => false);
      const one = createOutboxDispatcher(outboxQueue(db), transport, log, { concurrency: 7 });
      const two = createOutboxDispatcher(outboxQueue(db), transport, log, { concurrency: 7 });
      one.kick();
      two.kick();
      await Promise.all([one.idle(), two.idle()]);
      expect([...transport.sent].sort()).toEqual([...bodies].sort());
      // Each recipient's messages went out in the order they were written.
      for (let r = 0; r < 7; r++) {
        const mine = transport.sent.filter((b) => Number(b.slice(4)) % 7 === r).map((b) => Number(b.slice(4)));
        expect(mine).toEqual([...mine].sort((x, y) => x - y));
      }
    } finally {
      await drop();
    }
  });

  it('tells the admins once when a message is given up on', async () => {
    const { db, drop } = await backend.open();
    try {
      await migrate(db);
      await db.query(`INSERT INTO outbox (recipient, body, kind) VALUES ('6280000077777', 'lost', 'notice')`);
      const dead: string[] = [];
      const dispatcher = createOutboxDispatcher(outboxQueue(db), flakyTransport(() => true), log, {
        maxAttempts: 2,
        onDead: async (row, error) => void dead.push(`${row.recipient}:${error}`),
      });
      for (let i = 0; i < 3; i++) {
        await db.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'`);
        dispatcher.kick();
        await dispatcher.idle();
      }
      expect(dead).toEqual(['6280000077777:send to 6280000077777 failed']);
    } finally {
      await drop();
    }
  });
});

describe('pacing', () => {
  it("Baileys' human pace holds the configured rate over a count of messages, in order", async () => {
    const inner = flakyTransport(() => false);
    const paced = humanPaced(inner, 40);
    const started = performance.now();
    await Promise.all(Array.from({ length: 21 }, (_, i) => paced.send('6280000000001', { text: `p-${i}` })));
    const seconds = (performance.now() - started) / 1000;
    // 20 gaps of 25 ms ± 25% jitter: at least 0.375 s, so at most ~53 messages/s over the run.
    expect(20 / seconds).toBeLessThanOrEqual(40 / 0.75);
    expect(inner.sent).toEqual(Array.from({ length: 21 }, (_, i) => `p-${i}`));
  });
});

describe('the Cloud API pace: a token bucket', () => {
  /** A transport whose sends stay open until released, recording the order they started in. */
  const gated = () => {
    const started: string[] = [];
    const open = new Map<string, () => void>();
    const t: Transport & { started: string[]; finish(text: string): void; fail?: (text: string) => Error | null } = {
      name: 'cloud',
      started,
      async start() {},
      async stop() {},
      send(_to: string, msg: OutboundMessage) {
        started.push(msg.text);
        const err = t.fail?.(msg.text);
        if (err) return Promise.reject(err);
        return new Promise<void>((resolve) => open.set(msg.text, resolve));
      },
      finish(text: string) {
        open.get(text)?.();
      },
    };
    return t;
  };
  const tick = () => new Promise((r) => setImmediate(r));

  it('spends a burst at once, side by side (no timer per message), then waits for tokens', async () => {
    let clock = 0;
    const inner = gated();
    const paced = bucketPaced(inner, 1000, { burst: 50, now: () => clock });
    for (let i = 0; i < 80; i++) void paced.send(`62811${String(i).padStart(6, '0')}`, { text: `m${i}` });
    await tick();
    expect(inner.started).toHaveLength(50); // all in flight together, none finished
    clock += 10; // 10 ms at 1,000/s: 10 more tokens
    await new Promise((r) => setTimeout(r, 5));
    expect(inner.started).toHaveLength(60);
  });

  it("keeps one recipient's messages in order: the next leaves when the one before it was sent", async () => {
    const inner = gated();
    const paced = bucketPaced(inner, 1000);
    const sends = ['a1', 'a2', 'a3'].map((text) => paced.send('6281100000001', { text }));
    void paced.send('6281100000002', { text: 'b1' });
    await tick();
    expect(inner.started).toEqual(['a1', 'b1']);
    inner.finish('a1');
    await sends[0];
    await tick();
    expect(inner.started).toEqual(['a1', 'b1', 'a2']);
    inner.finish('a2');
    await sends[1];
    await tick();
    expect(inner.started).toEqual(['a1', 'b1', 'a2', 'a3']);
    inner.finish('a3');
    await sends[2];
  });

  it('gives value messages (goods, links, money notices) the next token before chat replies', async () => {
    let clock = 0;
    const inner = gated();
    const paced = bucketPaced(inner, 100, { burst: 1, now: () => clock });
    for (let i = 0; i < 5; i++) void paced.send(`62812${i}`, { text: `catalogue${i}` });
    void paced.send('628129', { text: 'goods', priority: 'value' });
    await tick();
    expect(inner.started).toEqual(['catalogue0']);
    clock += 10;
    await new Promise((r) => setTimeout(r, 15));
    expect(inner.started).toEqual(['catalogue0', 'goods']);
  });

  it('halves the pace after Graph says the throughput is exceeded (130429)', async () => {
    let clock = 0;
    const inner = gated();
    inner.fail = (text) => (text === 'over' ? new RetryLater('graph 130429: rate limit hit', 2) : null);
    const paced = bucketPaced(inner, 100, { burst: 1, now: () => clock });
    await expect(paced.send('6281300000001', { text: 'over' })).rejects.toBeInstanceOf(RetryLater);
    for (let i = 0; i < 4; i++) void paced.send(`62813${i}`, { text: `n${i}` });
    clock += 20; // 2 tokens at 100/s, 1 at the halved 50/s
    await new Promise((r) => setTimeout(r, 5));
    expect(inner.started).toEqual(['over', 'n0']);
  });
});
