import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/adapters/postgres/db.js';
import { MAX_AMOUNT } from '../src/domain/money.js';
import { ADMIN, concurrentBackend, orderIdIn, said, startKedai, type Harness } from './helpers.js';
import { topupKit, topupStore } from './topup-kit.js';

/**
 * Issue #32, postpaid bills: `.tagihan CODE NOMOR` asks Digiflazz (inq-pasca) and shows the
 * bill with its total; `.ya` pays exactly that total and pay-pasca reuses the inquiry's
 * ref_id. Through the chat, against a fake Digiflazz speaking the postpaid protocol.
 */
describe('postpaid bills', () => {
  const store = topupStore(() => ({ DIGIFLAZZ_TIMEOUT_MS: '1500' }));
  const { until, balance, topup, funded, buyer } = topupKit(() => store, '628713000');
  let h: Harness;
  const pay = async (ref: string) => expect(await store.midtrans.sandbox.setStatus(ref, 'settlement', true)).toBe(200);
  const FEE = 1_000;
  const totalIn = (text: string): number => {
    const totals = [...text.matchAll(/^Total: Rp([\d.]+)$/gm)];
    expect(totals.length).toBeGreaterThan(0);
    return Number(totals.at(-1)![1]!.replace(/\./g, ''));
  };
  const orders = async (b: string) => Number((await h.one<{ n: unknown }>('SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1', [b])).n);

  beforeAll(async () => {
    h = store.h;
    await h.chat(ADMIN, `.addproduk PLNPASCA|Tagihan PLN|${FEE}|PLN pascabayar|Tagihan`);
    await h.chat(ADMIN, '.setsku PLNPASCA pln');
  });

  it('the bill is shown with its name, periods, admin fee, the store fee and the total on its own line; nothing is charged until .ya', async () => {
    const b = await funded(200_000);
    await h.chat(b, '.tagihan PLNPASCA 530000000002');
    const shown = await h.last(b);
    const inquiry = [...store.fake.sandbox.pasca.bills.values()].find((x) => x.customerNo === '530000000002')!;
    expect(shown).toContain('PELANGGAN SANDBOX');
    expect(shown).toContain('Nov 2026');
    expect(shown).toContain('Okt 2026');
    expect(shown).toMatch(/\.ya/);
    expect(totalIn(shown)).toBe(inquiry.price + FEE);
    expect(await balance(b)).toBe(200_000);
    expect(await orders(b)).toBe(0);
    expect(inquiry.paid).toBeUndefined();

    await h.chat(b, '.ya');
    const ref = inquiry.refId;
    await until(async () => (await topup(ref)).status === 'delivered', 'the bill paid');
    // pay-pasca under the inquiry's ref_id; the buyer charged exactly the total shown, once.
    expect(inquiry.paid?.status).toBe('Sukses');
    expect(await balance(b)).toBe(200_000 - totalIn(shown));
    expect(await h.last(b)).toContain(inquiry.paid!.sn);
    expect(await h.one('SELECT postpaid FROM supplier_orders WHERE ref_id = $1', [ref])).toEqual({ postpaid: true });
    // A second .ya has nothing to pay.
    await h.chat(b, '.ya');
    expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));
    expect(await balance(b)).toBe(200_000 - totalIn(shown));
  });

  it('no bill (rc 60): a clear reply, nothing stored, nothing charged; .ya then has nothing to pay', async () => {
    const b = await funded();
    await h.chat(b, '.cektagihan PLNPASCA 530000000003');
    expect(await h.last(b)).toBe(said('BILL_NONE', { code: 'PLNPASCA', target: '530000000003', message: 'Tagihan belum tersedia' }));
    await h.chat(b, '.ya');
    expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));
    expect([await balance(b), await orders(b)]).toEqual([100_000, 0]);
  });

  it('the supplier down: the bill cannot be checked, the buyer is told to try again, nothing is stored', async () => {
    const b = await funded();
    store.fake.setDown(true);
    try {
      await h.chat(b, '.tagihan PLNPASCA 530000000001');
    } finally {
      store.fake.setDown(false);
    }
    expect(await h.last(b)).toBe(said('BILL_UNKNOWN', { code: 'PLNPASCA' }));
    await h.chat(b, '.ya');
    expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));
  });

  it('a payment the supplier fails is refunded once, to the rupiah', async () => {
    const b = await funded();
    await h.chat(b, '.tagihan PLNPASCA 530000000006');
    const total = totalIn(await h.last(b));
    await h.chat(b, '.ya');
    const ref = [...store.fake.sandbox.pasca.bills.values()].find((x) => x.customerNo === '530000000006')!.refId;
    await until(async () => (await topup(ref)).status === 'refunded', 'the refund');
    expect(Number((await topup(ref)).refunds)).toBe(1);
    expect(await balance(b)).toBe(100_000);
    expect(total).toBeGreaterThan(0);
  });

  it('a pending payment waits (never refunded meanwhile) and the callback delivers the reference', async () => {
    const b = await funded();
    await h.chat(b, '.tagihan PLNPASCA 630000000001');
    const total = totalIn(await h.last(b));
    await h.chat(b, '.ya');
    const ref = [...store.fake.sandbox.pasca.bills.values()].find((x) => x.customerNo === '630000000001')!.refId;
    await until(async () => (await topup(ref)).status === 'delivered', 'the pending bill settled');
    expect(await balance(b)).toBe(100_000 - total);
    expect(Number((await topup(ref)).refunds)).toBe(0);
  });

  it('no balance: .ya sends a payment link for exactly the total; once paid, the bill is paid with the inquiry ref_id', async () => {
    const b = buyer();
    await h.chat(b, '.tagihan PLNPASCA 530000000001');
    const total = totalIn(await h.last(b));
    await h.chat(b, '.ya');
    const ref = orderIdIn(await h.last(b));
    expect(store.fake.sandbox.pasca.bills.get(ref)?.customerNo).toBe('530000000001');
    expect(Number((await h.one<{ total: unknown }>('SELECT total FROM orders WHERE public_id = $1', [ref])).total)).toBe(total);
    await pay(ref);
    await until(async () => (await topup(ref)).status === 'delivered', 'the bill paid by link');
    expect(store.fake.sandbox.pasca.bills.get(ref)?.paid?.status).toBe('Sukses');
  });

  it('.batal drops the bill; an expired one cannot be paid; .buy of a bill product points to .tagihan', async () => {
    const b = await funded();
    await h.chat(b, '.tagihan PLNPASCA 530000000001');
    await h.chat(b, '.batal');
    expect(await h.last(b)).toContain('PLNPASCA');
    await h.chat(b, '.ya');
    expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));

    await h.chat(b, '.tagihan PLNPASCA 530000000001');
    await h.db.query(`UPDATE confirmations SET expires_at = now() - interval '1 second' WHERE wa_id = $1`, [b]);
    await h.chat(b, '.ya');
    expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));

    await h.chat(b, '.buy PLNPASCA 530000000001');
    expect(await h.last(b)).toBe(said('BILL_PRODUCT', { code: 'PLNPASCA' }));
    expect([await balance(b), await orders(b)]).toEqual([100_000, 0]);
  });

  it('.setharga CODE 0 drops the store fee of a bill (the total is the bill as charged); a stock product still needs a price', async () => {
    await h.chat(ADMIN, '.setharga PLNPASCA 0');
    try {
      const b = await funded();
      await h.chat(b, '.tagihan PLNPASCA 530000000001');
      const shown = await h.last(b);
      const inquiry = [...store.fake.sandbox.pasca.bills.values()].filter((x) => x.customerNo === '530000000001').at(-1)!;
      expect(totalIn(shown)).toBe(inquiry.price);
      await h.chat(b, '.batal');
      await h.chat(ADMIN, '.addproduk FEE0|Stok|5000|x');
      await h.chat(ADMIN, '.setharga FEE0 0');
      expect(await h.last(ADMIN)).toBe(said('INVALID_AMOUNT', { max: MAX_AMOUNT }));
      expect(Number((await h.one<{ price: unknown }>(`SELECT price FROM products WHERE code = 'FEE0'`)).price)).toBe(5_000);
    } finally {
      await h.chat(ADMIN, `.setharga PLNPASCA ${FEE}`);
    }
  });

  it('two .ya at once pay the bill once', async () => {
    const b = await funded();
    await h.chat(b, '.tagihan PLNPASCA 530000000001');
    const total = totalIn(await h.last(b));
    await Promise.all([h.chat(b, '.ya'), h.chat(b, '.ya')]);
    await until(async () => (await orders(b)) === 1 && (await h.one<{ n: unknown }>(`SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1 AND o.status = 'delivered'`, [b])).n === '1', 'one delivery');
    expect(await orders(b)).toBe(1);
    expect(await balance(b)).toBe(100_000 - total);
  });
});

/**
 * kedai killed between the bill and `.ya`, and between the payment and the supplier call: the
 * question and the paid order live in the database, so the next kedai on it carries on.
 */
describe('postpaid bills across a kill', () => {
  let blockCalls = false;
  // The first kedai "dies" before any supplier call: its worker never leases a due row.
  const wrapDb = (db: Database): Database => {
    const guard = (text: string) => {
      if (blockCalls && text.includes('WITH due AS')) throw new Error('injected: killed before the supplier call');
    };
    return {
      ...db,
      query: (text, params) => (guard(text), db.query(text, params)),
      transaction: (fn) => db.transaction((sql) => fn({ ...sql, query: (text, params) => (guard(text), sql.query(text, params)) })),
    } as Database;
  };
  const store = topupStore(() => ({}), { wrapDb });
  const { balance, topup, funded } = topupKit(() => store, '628716000');

  it('the bill asked of one kedai is paid by the next; the payment made before a kill reaches the supplier after it, once', async () => {
    const first = store.h;
    await first.chat(ADMIN, '.addproduk PLNPASCA|Tagihan PLN|1000|PLN pascabayar|Tagihan');
    await first.chat(ADMIN, '.setsku PLNPASCA pln');
    const b = await funded();
    await first.chat(b, '.tagihan PLNPASCA 530000000001');
    const inquiry = [...store.fake.sandbox.pasca.bills.values()].find((x) => x.customerNo === '530000000001')!;
    const total = inquiry.price + 1_000;
    // Killed after the inquiry: the next kedai takes the .ya.
    await first.kedai.stop();
    const second = await startKedai(concurrentBackend, { ...store.fake.env, ...store.midtrans.env }, { sameDb: first.db, wrapDb });
    try {
      blockCalls = true;
      await second.chat(b, '.ya');
      expect(await topup(inquiry.refId)).toMatchObject({ status: 'paid', supplier: 'queued' });
      expect(await balance(b)).toBe(100_000 - total);
      // Killed after the payment, before the supplier call: the next kedai pays the bill, once.
      await second.kedai.stop();
      blockCalls = false;
      const third = await startKedai(concurrentBackend, { ...store.fake.env, ...store.midtrans.env }, { sameDb: first.db });
      try {
        for (let i = 0; i < 100 && (await topup(inquiry.refId)).status !== 'delivered'; i++) {
          await third.kedai.settle();
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(await topup(inquiry.refId)).toMatchObject({ status: 'delivered', supplier: 'success' });
        expect(inquiry.paid?.status).toBe('Sukses');
        expect(await balance(b)).toBe(100_000 - total);
      } finally {
        await third.stop();
      }
    } finally {
      blockCalls = false;
      await second.stop().catch(() => undefined);
    }
    // The suite's own stop checks the invariants on this database; its kedai is already stopped.
    store.h = { ...first, stop: () => first.stop().catch(() => undefined) } as Harness;
  });
});
