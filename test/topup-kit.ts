import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { hubSignature } from '../src/adapters/digiflazz/sandbox.js';
import { verifyInvariants } from '../src/adapters/postgres/verify.js';
import { ADMIN, concurrentBackend, freePort, startKedai, type Harness } from './helpers.js';
import { startFakeDigiflazz } from './fakes/digiflazz.js';
import { startFakeMidtrans } from './fakes/midtrans.js';
import { startFakeVip } from './fakes/vipreseller.js';

export type FakeDigiflazz = Awaited<ReturnType<typeof startFakeDigiflazz>>;

/**
 * Faults injected into kedai's own database connection for top-up tests: the process
 * "dies" between the supplier's answer and its record, or cannot store callbacks.
 */
export function topupFaults() {
  const faults = { failRecords: 0, failEvents: false };
  const wrapDb = (db: Database): Database => {
    const guard = (text: string) => {
      if (faults.failEvents && text.includes('INSERT INTO supplier_events')) throw new Error('injected: database down');
      if (faults.failRecords > 0 && text.includes('UPDATE supplier_orders SET status')) {
        faults.failRecords--;
        throw new Error('injected: connection lost before the answer was recorded');
      }
    };
    return {
      ...db,
      query: (text, params) => (guard(text), db.query(text, params)),
      transaction: (fn) => db.transaction((sql) => fn({ ...sql, query: (text, params) => (guard(text), sql.query(text, params)) })),
    } as Database;
  };
  return { faults, wrapDb };
}

/** What top-up tests do to a running kedai and read back from it. */
export function topupKit(get: () => { h: Harness; fake: FakeDigiflazz }, prefix: string) {
  let seq = 0;
  const kit = {
    buyer: () => `${prefix}${String(++seq).padStart(4, '0')}`,
    async syncNow(): Promise<void> {
      const { h } = get();
      await h.db.query('UPDATE supplier_state SET next_sync_at = now()');
      h.kedai.supplier.sync.kick();
      await h.kedai.supplier.sync.idle();
      await h.kedai.settle();
    },
    /** Lets the supplier's pending transactions settle and call back, and kedai apply it all. */
    async until(check: () => Promise<boolean>, what: string, tries = 100): Promise<void> {
      for (let i = 0; i < tries; i++) {
        await get().h.kedai.settle();
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    /** The re-check's minute passes: due rows are called again. */
    async recheckNow(): Promise<void> {
      const { h } = get();
      await h.db.query(`UPDATE supplier_orders SET next_check_at = now(), locked_until = NULL WHERE status IN ('queued', 'pending', 'unknown')`);
      await h.kedai.settle();
    },
    balance: async (b: string) => Number((await get().h.one<{ balance: unknown }>('SELECT balance FROM users WHERE wa_id = $1', [b])).balance),
    topup: (ref: string) =>
      get().h.one<{ status: string; supplier: string | null; sn: string | null; refunds: unknown; attempts: unknown }>(
        `SELECT o.status, so.status AS supplier, so.sn, so.attempts,
                (SELECT count(*) FROM ledger_entries l WHERE l.order_id = o.id AND l.kind = 'refund') AS refunds
           FROM orders o LEFT JOIN supplier_orders so ON so.order_id = o.id WHERE o.public_id = $1`,
        [ref],
      ),
    async funded(amount = 100_000): Promise<string> {
      const b = kit.buyer();
      await get().h.chat(ADMIN, `.addsaldo ${b} ${amount}`);
      return b;
    },
    /** Posts a Digiflazz callback to kedai, signed with the fake's secret unless told otherwise. */
    async callback(body: string, signature: string | null = hubSignature(get().fake.sandbox.webhookSecret, body)) {
      const res = await fetch(`${get().h.url}/webhooks/digiflazz`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-digiflazz-event': 'update', ...(signature === null ? {} : { 'x-hub-signature': signature }) },
        body,
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as { stored?: boolean } | null };
    },
  };
  return kit;
}

/**
 * A kedai selling top-ups for a suite: fake Digiflazz and Midtrans that call back to it, the
 * price list synced once; `stop` checks the invariants first. Hooks register it around the suite.
 */
export function topupStore(env: () => Record<string, string> = () => ({}), opts: { wrapDb?: (db: Database) => Database; vip?: boolean } = {}) {
  const s = {} as { h: Harness; fake: FakeDigiflazz; midtrans: Awaited<ReturnType<typeof startFakeMidtrans>>; vip: Awaited<ReturnType<typeof startFakeVip>> | null; port: number };
  beforeAll(async () => {
    s.port = await freePort();
    s.fake = await startFakeDigiflazz(() => `http://127.0.0.1:${s.port}/webhooks/digiflazz`);
    s.fake.sandbox.settleMs = 50;
    s.midtrans = await startFakeMidtrans(() => `http://127.0.0.1:${s.port}/webhooks/midtrans`);
    s.vip = opts.vip ? await startFakeVip(() => `http://127.0.0.1:${s.port}/webhooks/vipreseller`) : null;
    s.h = await startKedai(concurrentBackend, { PORT: String(s.port), ...s.fake.env, ...s.midtrans.env, ...(s.vip?.env ?? {}), ...env() }, opts);
    await s.h.db.query('UPDATE supplier_state SET next_sync_at = now()');
    s.h.kedai.supplier.sync.kick();
    await s.h.kedai.supplier.sync.idle();
    await s.h.kedai.settle();
  }, 30_000);
  afterAll(async () => {
    expect(await verifyInvariants(s.h.db)).toEqual([]);
    await s.h?.stop();
    await s.fake?.close();
    await s.midtrans?.close();
    await s.vip?.close();
  });
  return s;
}
