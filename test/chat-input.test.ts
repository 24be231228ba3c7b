import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, backends, startKedai, stockProduct, type Harness, said } from './helpers.js';
import { textsFor } from '../src/i18n/index.js';
import { MAX_AMOUNT, MIN_DEPOSIT } from '../src/domain/money.js';

const ID = textsFor('id');
const DEPOSIT_RANGE = { min: MIN_DEPOSIT, max: MAX_AMOUNT };

describe.each(backends)('bad input on $name gets a clear reply and changes nothing', (backend) => {
  let h: Harness;
  const buyer = '6281800000001';
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'OK1', 10_000, ['ok-item']);
    await h.chat(ADMIN, '.addproduk EMPTY|Kosong|5000');
  });
  afterAll(async () => h?.stop());

  const snapshot = async () =>
    JSON.stringify(
      await h.db.query(
        `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM products) AS products,
                (SELECT count(*) FROM stock_items WHERE status = 'available') AS available,
                (SELECT count(*) FROM ledger_entries) AS ledger`,
      ),
    );

  it.each([
    ['.apaini', ID.unknownCommand('.')],
    ['.buy', said('INVALID_INPUT', { command: 'buy' })],
    ['.buy NOPE', said('UNKNOWN_PRODUCT', { code: 'NOPE' })],
    ['.buy OK1 0', said('INVALID_QTY', { max: 100 })],
    ['.buy OK1 -1', said('INVALID_QTY', { max: 100 })],
    ['.buy OK1 abc', said('UNKNOWN_VOUCHER', { code: 'ABC' })],
    ['.buy OK1 2 -', said('UNKNOWN_VOUCHER', { code: '-' })],
    ['.buy OK1 abc 2', said('INVALID_INPUT', { command: 'buy' })],
    ['.buy OK1 101', said('INVALID_QTY', { max: 100 })],
    ['.buy OK1 2', said('SOLD_OUT', { code: 'OK1', available: 1, asked: 2 })],
    ['.buy EMPTY', said('SOLD_OUT', { code: 'EMPTY', available: 0, asked: 1 })],
    ['.deposit -5', said('INVALID_AMOUNT', DEPOSIT_RANGE)],
    ['.deposit abc', said('INVALID_AMOUNT', DEPOSIT_RANGE)],
    ['.deposit 1,5', said('INVALID_AMOUNT', DEPOSIT_RANGE)],
    // Below the smallest deposit, or past the largest amount: the range, not "a positive number".
    ['.deposit 500', said('INVALID_AMOUNT', DEPOSIT_RANGE)],
    ['.deposit 999999999999', said('INVALID_AMOUNT', DEPOSIT_RANGE)],
    ['.deposit', said('INVALID_INPUT', { command: 'deposit' })],
    ['.kirimulang KD-20000101-00000000', said('UNKNOWN_ORDER', { orderId: 'KD-20000101-00000000' })],
    ['.addproduk HACK|Hack|1000', said('NOT_ADMIN')],
    ['.addsaldo 6281800000001 1000000', said('NOT_ADMIN')],
    ['.addstok OK1\nfree-item', said('NOT_ADMIN')],
    ['.batal', said('NO_PENDING_ORDER')],
  ])('%s', async (text, expected) => {
    const before = await snapshot();
    await h.chat(buyer, text);
    expect(await h.last(buyer)).toBe(expected);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['.addproduk bad code!|X|1000', said('INVALID_INPUT', { command: 'addproduk' })],
    ['.addproduk OK1|Duplicate|1000', said('PRODUCT_EXISTS', { code: 'OK1' })],
    ['.addproduk X1|Nama|gratis', said('INVALID_AMOUNT', { max: MAX_AMOUNT })],
    ['.addproduk X1|Nama', said('INVALID_INPUT', { command: 'addproduk' })],
    ['.setharga OK1 0', said('INVALID_AMOUNT', { max: MAX_AMOUNT })],
    ['.setharga NOPE 1000', said('UNKNOWN_PRODUCT', { code: 'NOPE' })],
    ['.addstok NOPE\nitem', said('UNKNOWN_PRODUCT', { code: 'NOPE' })],
    ['.addstok OK1', said('INVALID_INPUT', { command: 'addstok' })],
    ['.minsaldo 6281800000001 5000', said('INSUFFICIENT_BALANCE', { balance: 0 })],
    ['.addsaldo abc 5000', said('INVALID_NUMBER')],
    ['.addsaldo 6281800000001 0', said('INVALID_AMOUNT', { max: MAX_AMOUNT })],
  ])('admin %s', async (text, expected) => {
    const before = await snapshot();
    await h.chat(ADMIN, text);
    expect(await h.last(ADMIN)).toBe(expected);
    expect(await snapshot()).toBe(before);
  });

  it('ignores chat without a command prefix', async () => {
    const before = (await h.sentTo(buyer)).length;
    await h.chat(buyer, 'halo kak, ready?');
    expect((await h.sentTo(buyer)).length).toBe(before);
  });

  it('accepts the other prefixes and any case', async () => {
    await h.chat(buyer, '!PRODUK');
    expect(await h.last(buyer)).toContain('OK1');
    await h.chat(buyer, '/Info ok1');
    expect(await h.last(buyer)).toContain('Harga: Rp10.000');
  });

  it('writes every command of an example with the prefix the buyer used', async () => {
    await h.chat(buyer, '!buy');
    expect(await h.last(buyer)).toBe('Format salah. Contoh: !buy KODE [JUMLAH] [VOUCHER] (top-up: !buy KODE TUJUAN [VOUCHER])');
    await h.chat(ADMIN, '.setrole');
    expect(await h.last(ADMIN)).toContain('(contoh: .setrole 6281234567890 reseller)');
  });

  it("the seller's replies say exactly what changed and how to go on, with the prefix they typed", async () => {
    await h.chat(ADMIN, '!addproduk CAPCUT1|CapCut Pro|15000');
    expect(await h.last(ADMIN)).toContain('Tambah stok: !addstok CAPCUT1');
    await h.chat(ADMIN, '.setharga CAPCUT1 12000 reseller');
    expect(await h.last(ADMIN)).toBe('Harga CAPCUT1 untuk role reseller sekarang Rp12.000.');
    await h.chat(ADMIN, '.setharga CAPCUT1 16000');
    expect(await h.last(ADMIN)).toBe('Harga CAPCUT1 sekarang Rp16.000.');
    await h.chat(ADMIN, '.setmodal CAPCUT1 9000');
    expect(await h.last(ADMIN)).toContain('Modal CAPCUT1 sekarang Rp9.000');
    await h.chat(ADMIN, '.setmodal CAPCUT1');
    expect(await h.last(ADMIN)).toBe(said('INVALID_INPUT', { command: 'setmodal' }));
  });

  it('rejects a web chat message with a bad number or no text', async () => {
    expect((await h.post('/chat/api/send', { from: 'abc', text: '.menu' })).status).toBe(400);
    expect((await h.post('/chat/api/send', { from: buyer, text: '' })).status).toBe(400);
  });
});

describe.each(backends)('admin commands on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(backend, { LOCALE: 'en' });
  });
  afterAll(async () => h?.stop());

  it('edit, stock and deactivate products, in English with LOCALE=en', async () => {
    await h.chat(ADMIN, '.addproduk vpn1|VPN 1 Month|Rp30.000|Fast VPN');
    expect(await h.last(ADMIN)).toContain('Product VPN1 added');
    await h.chat(ADMIN, '.setharga VPN1 35000');
    await h.chat(ADMIN, '.setjudul VPN1 VPN Premium 1 Month');
    await h.chat(ADMIN, '.setdesc VPN1 Works everywhere\nUnlimited devices');
    await h.chat(ADMIN, '.addstok VPN1 key-1\nkey-2\n\nkey-3');
    expect(await h.last(ADMIN)).toContain('3 items added to VPN1. Available: 3.');
    await h.chat(ADMIN, '.delstok VPN1 1');
    expect(await h.last(ADMIN)).toContain('1 items of VPN1 removed');
    await h.chat(ADMIN, '.info VPN1');
    const info = await h.last(ADMIN);
    expect(info).toContain('VPN Premium 1 Month');
    expect(info).toContain('Rp35.000');
    expect(info).toContain('Stock: 2');
    expect(info).toContain('Unlimited devices');
    await h.chat(ADMIN, '.menu');
    expect(await h.last(ADMIN)).toContain('addproduk');
    await h.chat('6281900000001', '.menu');
    expect(await h.last('6281900000001')).not.toContain('addproduk');
    await h.chat(ADMIN, '.delproduk VPN1');
    await h.chat(ADMIN, '.list');
    expect(await h.last(ADMIN)).toBe('No products yet.');
    await h.chat('6281900000001', '.buy VPN1');
    expect(await h.last('6281900000001')).toContain('No product "VPN1"');
  });
});
