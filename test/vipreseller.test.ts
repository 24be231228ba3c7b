import { beforeAll, describe, expect, it } from 'vitest';
import { vipSign } from '../src/adapters/vipreseller/client.js';
import { ADMIN, orderIdIn, said, type Harness } from './helpers.js';
import { topupKit, topupStore } from './topup-kit.js';

/**
 * Issue #32, a second supplier: VIP-Reseller through the same supplier port as Digiflazz.
 * It takes no reference of ours, so an order is sent once; a lost answer is reconciled from
 * its recent orders; its callbacks only bring a status check forward. Against a fake that
 * speaks its protocol (form POSTs, `result`, trxid, X-Client-Signature).
 */
describe('VIP-Reseller', () => {
  const store = topupStore(() => ({ DIGIFLAZZ_TIMEOUT_MS: '700' }), { vip: true });
  const { until, balance, topup, funded, syncNow, callback } = topupKit(() => store, '628714000');
  let h: Harness;
  const vip = () => store.vip!;
  const ordersAtVip = () => vip().calls.filter((c) => c.endsWith(':order')).length;
  const refOf = async (b: string) => orderIdIn((await h.sentTo(b)).find((t) => /KD-\d{8}-/.test(t)) ?? '');
  /** A game top-up: the ID checked and shown first, then `.ya`. */
  const buyGame = async (b: string, words: string) => {
    await h.chat(b, `.buy ${words}`);
    await h.chat(b, '.ya');
  };

  beforeAll(async () => {
    h = store.h;
    vip().sandbox.settleMs = 100;
    await h.chat(ADMIN, '.addproduk MLVIP|ML 86 Diamond (VIP)|25000|ID + zone|Top-up');
    await h.chat(ADMIN, '.setsku MLVIP vip:MLBB86');
  });

  it('.setsku takes a VIP service from its synced list, at the price of the account level; .supplier lists both suppliers', async () => {
    expect(await h.last(ADMIN)).toContain('vip:MLBB86');
    expect(Number((await h.one<{ cost: unknown }>(`SELECT cost FROM supplier_prices WHERE supplier = 'vipreseller' AND sku = 'vip:MLBB86'`)).cost)).toBe(vip().sandbox.services[0]!.price.basic);
    await h.chat(ADMIN, '.supplier');
    const said = await h.last(ADMIN);
    expect(said).toContain('digiflazz');
    expect(said).toContain('vipreseller');
  });

  it('an order goes once with the ID and zone apart; waiting, then its signed callback brings the status check, and the SN is delivered', async () => {
    const b = await funded();
    const before = ordersAtVip();
    await buyGame(b, 'MLVIP 12345678(2468)');
    const ref = await refOf(b);
    await until(async () => (await topup(ref)).status === 'delivered', 'the VIP top-up delivered');
    const tx = vip().sandbox.orders.at(-1)!;
    expect([tx.data, tx.zone, tx.code]).toEqual(['12345678', '2468', 'MLBB86']);
    expect(ordersAtVip() - before).toBe(1);
    expect(await h.last(b)).toContain(tx.note.replace(/^SN:/, ''));
    expect(await balance(b)).toBe(100_000 - 25_000);
    expect(await h.one('SELECT supplier, supplier_ref FROM supplier_orders WHERE ref_id = $1', [ref])).toEqual({ supplier: 'vipreseller', supplier_ref: tx.trxid });
  });

  it('a lost answer is never ordered again: the order is found among the recent ones (target, zone, service, time) and settles', async () => {
    const b = await funded();
    const before = ordersAtVip();
    vip().sandbox.delayMs = 1_200; // longer than kedai waits: the order is made, its answer lost
    vip().sandbox.callbacks = 'drop';
    try {
      await buyGame(b, 'MLVIP 87654321(1357)');
      const ref = await refOf(b);
      await until(async () => (await topup(ref)).supplier === 'unknown', 'the answer lost');
      vip().sandbox.delayMs = 0;
      await until(async () => {
        await h.db.query(`UPDATE supplier_orders SET next_check_at = now(), locked_until = NULL WHERE ref_id = $1 AND status IN ('pending', 'unknown')`, [ref]);
        return (await topup(ref)).status === 'delivered';
      }, 'reconciled from the recent orders');
      expect(ordersAtVip() - before).toBe(1);
      expect(await h.one('SELECT supplier_ref FROM supplier_orders WHERE ref_id = $1', [ref])).toEqual({ supplier_ref: vip().sandbox.orders.at(-1)!.trxid });
    } finally {
      vip().sandbox.delayMs = 0;
      vip().sandbox.callbacks = 'once';
    }
  });

  it('a refusal (result false) and a failed order are refunded once; a cost above the one sold at is never ordered', async () => {
    const b = await funded();
    vip().sandbox.refuseNext = 1;
    await buyGame(b, 'MLVIP 11112222(3333)');
    const refused = await refOf(b);
    await until(async () => (await topup(refused)).status === 'refunded', 'the refusal refunded');
    await buyGame(b, 'MLVIP 55551232');
    const failed = orderIdIn(await h.last(b));
    await until(async () => (await topup(failed)).status === 'refunded', 'the failure refunded');
    expect(await balance(b)).toBe(100_000);

    // The service's price at VIP rises above the cost the order was sold at while the buyer pays: never bought at a loss.
    const ml = vip().sandbox.services[0]!;
    const was = ml.price.basic;
    await h.chat(b, '.buynow MLVIP 99998888(7777)');
    await h.chat(b, '.ya');
    const ref = orderIdIn(await h.last(b));
    ml.price.basic = 30_000;
    try {
      await syncNow();
      const before = ordersAtVip();
      expect(await store.midtrans.sandbox.setStatus(ref, 'settlement', true)).toBe(200);
      await until(async () => (await topup(ref)).status === 'refunded', 'refused at the risen price');
      expect(ordersAtVip() - before).toBe(0);
      expect(await balance(b)).toBe(100_000 + 25_000);
    } finally {
      ml.price.basic = was;
      await syncNow();
    }
  });

  it("a Digiflazz callback (validly signed) naming a VIP order's reference changes nothing: each supplier speaks only of its own orders", async () => {
    const b = await funded();
    vip().sandbox.callbacks = 'drop';
    vip().sandbox.settleMs = 60_000;
    try {
      await buyGame(b, 'MLVIP 31313131(3131)');
      const ref = await refOf(b);
      await until(async () => (await topup(ref)).supplier === 'pending', 'waiting at VIP');
      const forged = JSON.stringify({ data: { ref_id: ref, customer_no: '313131313131', buyer_sku_code: 'vip:MLBB86', status: 'Gagal', rc: '02', message: 'Transaksi Gagal', sn: '' } });
      expect((await callback(forged)).status).toBe(200);
      await h.kedai.settle();
      expect(await topup(ref)).toMatchObject({ status: 'paid', supplier: 'pending' });
      expect(await balance(b)).toBe(100_000 - 25_000);
    } finally {
      vip().sandbox.settleMs = 100;
      vip().sandbox.callbacks = 'once';
    }
  });

  it('callbacks: a wrong X-Client-Signature is refused; a right one for an unknown trxid changes nothing and says the same', async () => {
    const post = (sig: string, body: unknown) =>
      fetch(`${h.url}/webhooks/vipreseller`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-client-signature': sig }, body: JSON.stringify(body) });
    const forged = await post('0'.repeat(32), { result: true, data: { trxid: 'VIPX', status: 'success', note: 'SN:1' } });
    expect(forged.status).toBe(401);
    const stranger = await post(vipSign(vip().env.VIPRESELLER_API_ID, vip().env.VIPRESELLER_API_KEY), { result: true, data: { trxid: 'VIPNOSUCH', status: 'success', note: 'SN:1' } });
    expect(stranger.status).toBe(200);
    expect(await stranger.json()).toEqual({ ok: true });
  });

  describe('the game ID checked before any money moves', () => {
    it('an ID the game does not know is refused with nothing charged and nothing ordered', async () => {
      const b = await funded();
      const before = ordersAtVip();
      await h.chat(b, '.buy MLVIP 12340000(1111)');
      expect(await h.last(b)).toBe(said('TOPUP_GAME_ID', { code: 'MLVIP', target: '12340000 (1111)', game: 'Mobile Legends', message: 'ID tidak ditemukan.' }));
      await h.chat(b, '.ya');
      expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));
      expect([await balance(b), ordersAtVip() - before]).toEqual([100_000, 0]);
    });

    it('a known ID is shown with its player ("ID 12345678 (1234) = name") and paid only after .ya; two .ya at once buy once; .batal drops it', async () => {
      const b = await funded();
      const before = ordersAtVip();
      await h.chat(b, '.buy MLVIP 24681357(1234)');
      const shown = await h.last(b);
      expect(shown).toContain('ID 24681357 (1234) = *Player1357_1234*');
      expect(shown).toContain('Rp25.000');
      expect([await balance(b), ordersAtVip() - before]).toEqual([100_000, 0]);
      await Promise.all([h.chat(b, '.ya'), h.chat(b, '.ya')]);
      await until(async () => (await balance(b)) === 75_000 && ordersAtVip() - before === 1, 'one order');
      expect(vip().sandbox.nicknameGames.at(-1)).toBe('mobile-legends');

      await h.chat(b, '.buy MLVIP 24681357(1234)');
      await h.chat(b, '.batal');
      await h.chat(b, '.ya');
      expect(await h.last(b)).toBe(said('NOTHING_TO_CONFIRM'));
      expect(ordersAtVip() - before).toBe(1);
    });

    it('a check that cannot be made (VIP down) lets the buyer confirm without the name, saying so', async () => {
      const b = await funded();
      vip().setDown(true);
      try {
        await h.chat(b, '.buy MLVIP 13572468(2222)');
      } finally {
        vip().setDown(false);
      }
      expect(await h.last(b)).toContain('tidak bisa dicek');
      await h.chat(b, '.ya');
      const ref = await refOf(b);
      await until(async () => (await topup(ref)).status === 'delivered', 'bought after confirming without the name');
    });

    it('.setcek names the game the IDs are checked in', async () => {
      await h.chat(ADMIN, '.setcek MLVIP free-fire');
      const b = await funded();
      await h.chat(b, '.buy MLVIP 11223344(5566)');
      expect(vip().sandbox.nicknameGames.at(-1)).toBe('free-fire');
      await h.chat(b, '.batal');
      await h.chat(ADMIN, '.setcek MLVIP -');
    });
  });
});
