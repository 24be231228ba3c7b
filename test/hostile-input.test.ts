import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgDedupe } from '../src/adapters/postgres/repos/inbound.js';
import { ON_SALE_ALREADY } from '../src/adapters/postgres/repos/stock.js';
import { normaliseNumber } from '../src/domain/phone.js';
import { ADMIN, backends, startKedai, stockProduct, type Harness, said } from './helpers.js';

const GROUP = '120363000000077@g.us';

/** What an attacker or a clumsy hand types, through the same pipeline as WhatsApp messages. */
describe.each(backends)('hostile and clumsy input on $name', (backend) => {
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'HARD', 5_000, ['HARD-KEY-1']);
  });
  afterAll(async () => h?.stop());

  const count = async (sql: string, params: unknown[] = []) => Number((await h.one<{ n: unknown }>(sql, params)).n);
  /** A message as a transport hands it over, stamped `ageMs` ago (a webhook Meta retried after an outage). */
  const arrive = async (from: string, text: string, ageMs: number) => {
    await h.kedai.bot.handle({ id: `wamid.hard.${++seq}`, from, name: '', text, at: new Date(Date.now() - ageMs), chat: from });
    await h.kedai.settle();
  };

  it('answers a buyer message over 4,096 characters once, briefly, and does nothing else', async () => {
    const buyer = '6281300000001';
    const outBefore = await count(`SELECT count(*) AS n FROM outbox`);
    await h.chat(buyer, `.buy HARD ${'x'.repeat(60_000)}`);
    await h.chat(buyer, 'y'.repeat(5_000));
    await arrive(buyer, `.info ${'z'.repeat(100_000)}`, 0); // as the Cloud API would hand it over
    const replies = await h.sentTo(buyer);
    expect(replies).toHaveLength(3);
    for (const r of replies) {
      expect(r).toContain('terlalu panjang');
      expect(r.length).toBeLessThan(200);
    }
    expect(await count(`SELECT count(*) AS n FROM outbox`)).toBe(outBefore);
    expect(await count(`SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [buyer])).toBe(0);
  });

  it('lets an admin send a long .addstok, and clips what replies echo', async () => {
    const items = Array.from({ length: 800 }, (_, i) => `LONG-ITEM-${String(i).padStart(5, '0')}-abcdefghij`);
    expect(items.join('\n').length).toBeGreaterThan(4_096);
    await h.chat(ADMIN, '.addproduk LONG|Long list|1000');
    await h.chat(ADMIN, `.addstok LONG\n${items.join('\n')}`);
    expect(await h.last(ADMIN)).toContain('800 stok ditambahkan ke LONG');
    const buyer = '6281300000002';
    await h.chat(buyer, `.info ${'Q'.repeat(3_000)}`);
    const reply = await h.last(buyer);
    expect(reply).toContain('tidak ditemukan');
    expect(reply.length).toBeLessThan(200);
  });

  it('refuses control characters in admin input with a clear reply, changing nothing', async () => {
    await h.chat(ADMIN, '.addproduk NUL\u0000X|Nul|1000');
    expect(await h.last(ADMIN)).toBe(said('BAD_CHARACTERS'));
    await h.chat(ADMIN, '.addstok HARD\nKEY-WITH-\u0000-NUL');
    expect(await h.last(ADMIN)).toContain('karakter kontrol');
    expect(await count(`SELECT count(*) AS n FROM products WHERE code LIKE 'NUL%'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM stock_items WHERE payload LIKE 'KEY-WITH-%'`)).toBe(0);
    // A profile name is whatever the sender set: a NUL in it does not break their purchase.
    await h.chat(ADMIN, '.addsaldo 6281300000003 5000');
    await h.chat('6281300000003', '.buy HARD', 'Bad\u0000Name\u0007');
    expect(await h.last('6281300000003')).toContain('HARD-KEY-1');
    expect((await h.one<{ name: string }>(`SELECT name FROM users WHERE wa_id = '6281300000003'`)).name).toBe('BadName');
    await h.chat(ADMIN, '.addstok HARD\nHARD-KEY-1');
  });

  it('never puts the same item text on sale twice: repeats in one .addstok and items already on sale are skipped and counted', async () => {
    await h.chat(ADMIN, '.addproduk DUP|Dup|1000');
    await h.chat(ADMIN, '.addstok DUP\nSAME-KEY\nSAME-KEY\n  SAME-KEY  \nOTHER-KEY');
    expect(await h.last(ADMIN)).toMatch(/^2 stok ditambahkan ke DUP\. Tersedia: 2\. 2 baris dilewati/);
    await h.chat(ADMIN, '.addstok DUP\nSAME-KEY\nTHIRD-KEY');
    expect(await h.last(ADMIN)).toMatch(/^1 stok ditambahkan ke DUP\. Tersedia: 3\. 1 baris dilewati/);
    expect(await count(`SELECT count(*) AS n FROM stock_items s JOIN products p ON p.id = s.product_id WHERE p.code = 'DUP' AND s.payload = 'SAME-KEY'`)).toBe(1);
    // Three buyers take all three: each gets a different key.
    await h.chat(ADMIN, '.addsaldo 6281300000010 3000');
    await h.chat('6281300000010', '.buy DUP 3');
    const delivered = await h.last('6281300000010');
    for (const key of ['SAME-KEY', 'OTHER-KEY', 'THIRD-KEY']) expect(delivered.split(key)).toHaveLength(2);
    // The database itself refuses a second copy on sale.
    await h.chat(ADMIN, '.addstok DUP\nSAME-KEY');
    expect(await h.last(ADMIN)).toMatch(/^1 stok ditambahkan/); // sold before, so on sale once again
    await expect(
      h.db.query(`INSERT INTO stock_items (product_id, payload, position) SELECT id, 'SAME-KEY', 999 FROM products WHERE code = 'DUP'`),
    ).rejects.toThrow(/stock_items_once_on_sale/);
  });

  it('looks up the texts already on sale through the unique index, whatever plan the prepared statement gets', async () => {
    // A seller's .addstok of 2,000 texts to a product holding 6,000 took 8 s once the generic plan
    // (chosen from stale statistics) compared every given text with every item of the product.
    const plan = await h.db.transaction(async (sql) => {
      await sql.query('SET LOCAL plan_cache_mode = force_generic_plan');
      // This test's few rows would be read whole; a store's thousands are not.
      await sql.query('SET LOCAL enable_seqscan = off');
      await sql.query(`PREPARE on_sale_probe(bigint, text[]) AS ${ON_SALE_ALREADY}`);
      const [row] = await sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE on_sale_probe(1, '{A-KEY,B-KEY}')`);
      await sql.query('DEALLOCATE on_sale_probe');
      return JSON.stringify(row!['QUERY PLAN']);
    });
    // One scan of the index, the digests its condition: no join of the product's items with the texts.
    expect(plan).toMatch(/"Index Cond":\s*"\(\(md5\(payload\) = ANY/);
    expect(plan).not.toMatch(/Join|Nested Loop/);
  });

  it('reads every way of typing a number as one account, and says when a credited number never wrote', async () => {
    expect(['+62 812-3456-7890', '6281234567890', '081234567890', '0062 812 3456 7890', '+62 0812 3456 7890'].map(normaliseNumber)).toEqual(
      Array(5).fill('6281234567890'),
    );
    expect(['abc', '0', '+', '62', '1234', '628123456789012345'].map(normaliseNumber)).toEqual(Array(6).fill(null));
    await h.chat(ADMIN, '.addsaldo 0062-813-0000-0020 5000');
    expect(await h.last(ADMIN)).toMatch(/^Saldo 6281300000020 \+Rp5\.000\. Saldo sekarang Rp5\.000\. Catatan: nomor ini belum pernah/);
    expect(await count(`SELECT count(*) AS n FROM users WHERE wa_id LIKE '%6281300000020%'`)).toBe(1);
    await h.chat('6281300000021', '.menu');
    await new Promise((r) => setTimeout(r, 100)); // the last-seen write runs in the background
    await h.chat(ADMIN, '.addsaldo 081300000021 5000');
    expect(await h.last(ADMIN)).not.toContain('Catatan');
  });

  it('does not carry out a money command that arrives more than 10 minutes late, and asks for it again', async () => {
    const buyer = '6281300000030';
    await h.chat(ADMIN, `.addsaldo ${buyer} 5000`);
    await arrive(buyer, '.buy HARD', 11 * 60_000);
    expect(await h.last(buyer)).toBe(said('STALE_MESSAGE', { command: 'buy', minutes: 10 }));
    await arrive(buyer, '.deposit 10000', 60 * 60_000);
    await arrive(ADMIN, `.addsaldo ${buyer} 1000000`, 30 * 24 * 3_600_000);
    expect(await count(`SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.wa_id = $1`, [buyer])).toBe(0);
    expect(await count(`SELECT balance AS n FROM users WHERE wa_id = $1`, [buyer])).toBe(5_000);
    // Reads are still answered, and a fresh .buy goes through.
    await arrive(buyer, '.saldo', 60 * 60_000);
    expect(await h.last(buyer)).toContain('Rp5.000');
    await arrive(buyer, '.buy HARD', 1_000);
    expect(await h.last(buyer)).toContain('HARD-KEY-1');
  });

  it('remembers message ids for more than 7 days (Meta retries a webhook for up to 7)', async () => {
    await h.db.query(`INSERT INTO inbound_messages (message_id, seen_at) VALUES ('wamid.6days', now() - interval '6 days 23 hours'), ('wamid.9days', now() - interval '9 days')`);
    await pgDedupe(h.db).sweep();
    expect(await count(`SELECT count(*) AS n FROM inbound_messages WHERE message_id IN ('wamid.6days', 'wamid.9days')`)).toBe(1);
    expect(await h.kedai.bot.handle({ id: 'wamid.6days', from: '6281300000040', name: '', text: '.menu', at: new Date(), chat: '6281300000040' })).toBeUndefined();
    await h.kedai.settle();
    expect(await h.sentTo('6281300000040')).toEqual([]);
  });

  it('sends balance, history and order refusals from a group to the private chat', async () => {
    const buyer = '6281300000050';
    await h.chat(ADMIN, `.addsaldo ${buyer} 7000`);
    const inGroup = async (text: string) => {
      expect((await h.post('/chat/api/send', { from: buyer, text, group: GROUP })).status).toBe(202);
      await h.kedai.settle();
    };
    for (const text of ['.saldo', '.riwayat', '.buy HARD 2']) await inGroup(text);
    const group = (await h.sentTo(GROUP)).join('\n');
    expect(group).not.toContain('Rp7.000');
    expect(group).toContain('chat pribadi');
    const mine = (await h.sentTo(buyer)).join('\n');
    expect(mine).toContain('Rp7.000');
    expect(mine).toMatch(/Saldo tidak cukup|habis/);
  });
});
