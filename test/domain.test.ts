import fc from 'fast-check';
import { formatWib, formatWibEn, formatWibLong, formatWibLongEn } from '../src/i18n/format.js';
import { clipWords } from '../src/domain/text.js';
import { whatsappHtml } from '../src/domain/whatsapp-format.js';
import { checkTarget, failureOf, inCutOff, isPlnEntry, shownTarget, targetKindOf, nextCheckAt, readMeterCheck, outcomeOf as supplierOutcome, readTopupArgs, snOf, STOP_CHECKING_AFTER_MS, unsellable } from '../src/domain/topup.js';
import { describe, expect, it } from 'vitest';
import { notificationSignature, verifyNotificationSignature } from '../src/adapters/midtrans/signature.js';
import { midtransTime } from '../src/adapters/midtrans/client.js';
import { normaliseNumber, parseCommand } from '../src/bot/parse.js';
import { compose, type Context } from '../src/bot/context.js';
import { DomainError } from '../src/domain/errors.js';
import { formatRupiah, parseRupiah } from '../src/domain/money.js';
import { randomHex4 } from '../src/compose-deps.js';
import { assertTransition, canTransition, newOrderId, ORDER_STATUSES, parseQty, sourcesOf } from '../src/domain/order.js';
import { outcomeOf } from '../src/domain/payment.js';

describe('money', () => {
  it.each([
    [0, 'Rp0'],
    [999, 'Rp999'],
    [1000, 'Rp1.000'],
    [25000, 'Rp25.000'],
    [1234567, 'Rp1.234.567'],
    [-5000, '-Rp5.000'],
  ])('formats %d as %s', (n, s) => expect(formatRupiah(n)).toBe(s));

  it.each([
    ['25000', 25000],
    ['25.000', 25000],
    ['Rp25.000', 25000],
    ['rp 1.000.000', 1_000_000],
    ['0', null],
    ['-5', null],
    ['1,5', null],
    ['12.5', null],
    ['25.00', null],
    ['abc', null],
    ['', null],
    ['100000001', null],
  ])('parses %s', (text, value) => expect(parseRupiah(text)).toBe(value));
});

describe('order state machine', () => {
  it('allows the designed moves and nothing else', () => {
    const allowed = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`));
    expect(allowed.sort()).toEqual(
      [
        'pending>paid',
        'pending>expired',
        'pending>cancelled',
        'pending>failed',
        'paid>delivered',
        'paid>refunded',
        'delivered>refunded',
        'paid>reversed',
        'delivered>reversed',
        'refunded>reversed',
        'expired>paid',
        'cancelled>paid',
        'failed>paid',
      ].sort(),
    );
  });
  it('throws a typed error for an illegal move', () => {
    expect(() => assertTransition('delivered', 'pending')).toThrow(DomainError);
    expect(() => assertTransition('paid', 'expired')).toThrow(/ILLEGAL_TRANSITION/);
  });
  it('lists the sources of a move', () => expect(sourcesOf('paid').sort()).toEqual(['cancelled', 'expired', 'failed', 'pending']));
  it('makes Midtrans-safe order ids', () => {
    const id = newOrderId(new Date('2026-11-23T10:00:00Z'), '8f3a2c1b');
    expect(id).toBe('KD-20261123-8F3A2C1B');
    expect(id).toMatch(/^[A-Za-z0-9_~.-]{1,50}$/);
  });
  it.each([
    [undefined, 1],
    ['1', 1],
    ['100', 100],
  ])('parses qty %s', (t, q) => expect(parseQty(t)).toBe(q));
  it.each(['0', '101', '-1', '1.5', 'x'])('rejects qty %s', (t) => expect(() => parseQty(t)).toThrow(DomainError));
});

describe('gateway outcomes', () => {
  it.each([
    ['settlement', undefined, 'paid'],
    ['capture', 'accept', 'paid'],
    ['capture', 'challenge', 'review'],
    ['capture', 'deny', 'failed'],
    ['settlement', 'challenge', 'review'],
    ['settlement', 'deny', 'failed'],
    ['settlement', 'accept', 'paid'],
    ['capture', undefined, 'paid'],
    ['pending', undefined, 'waiting'],
    ['expire', undefined, 'expired'],
    ['cancel', undefined, 'cancelled'],
    ['deny', undefined, 'failed'],
    ['failure', undefined, 'failed'],
    ['refund', undefined, 'refunded'],
    ['chargeback', undefined, 'refunded'],
    ['something_new', undefined, 'ignore'],
  ])('%s/%s → %s', (status, fraud, outcome) => expect(outcomeOf(status, fraud)).toBe(outcome));
});

describe('Midtrans signature', () => {
  const key = 'SB-Mid-server-test';
  const base = { order_id: 'KD-1', status_code: '200', gross_amount: '25000.00' };
  it('matches SHA-512 of order_id + status_code + gross_amount + key', () => {
    const sig = notificationSignature('KD-1', '200', '25000.00', key);
    expect(sig).toHaveLength(128);
    expect(verifyNotificationSignature({ ...base, signature_key: sig }, key)).toBe(true);
  });
  it.each([
    ['another key', notificationSignature('KD-1', '200', '25000.00', 'other')],
    ['amount without decimals', notificationSignature('KD-1', '200', '25000', 'SB-Mid-server-test')],
    ['truncated', notificationSignature('KD-1', '200', '25000.00', 'SB-Mid-server-test').slice(0, 64)],
    ['not hex', 'zz'.repeat(64)],
    ['empty', ''],
  ])('rejects %s', (_name, sig) => expect(verifyNotificationSignature({ ...base, signature_key: sig }, key)).toBe(false));
  it('formats the expiry start time in WIB', () => expect(midtransTime(new Date('2026-11-23T13:00:00Z'))).toBe('2026-11-23 20:00:00 +0700'));
});

describe('command parsing', () => {
  it('reads prefix, name, args, rest and lines', () => {
    expect(parseCommand('  .BUY netflix1 2')).toEqual({ prefix: '.', name: 'buy', args: ['netflix1', '2'], rest: 'netflix1 2', lines: [] });
    expect(parseCommand('!addstok X\na b\nc')).toMatchObject({ prefix: '!', name: 'addstok', args: ['X'], lines: ['a b', 'c'] });
    expect(parseCommand('/addproduk A|Nama Panjang|1000|Desc')).toMatchObject({ rest: 'A|Nama Panjang|1000|Desc' });
  });
  it.each(['halo', '', '.', '. menu', '#menu', '...', '.5 ribu', '.menu!'])('%j is not a command', (t) => expect(parseCommand(t)).toBeNull());
  it.each([
    ['6281234567890', '6281234567890'],
    ['+62 812-3456-7890', '6281234567890'],
    ['081234567890', '6281234567890'],
    ['abc', null],
  ])('normalises %s', (input, out) => expect(normaliseNumber(input)).toBe(out));
});

describe('middleware composition', () => {
  it('runs in order and refuses next() twice', async () => {
    const seen: string[] = [];
    const run = compose([
      async (_c, next) => {
        seen.push('a');
        await next();
        seen.push('a-after');
      },
      async (_c, next) => {
        seen.push('b');
        await next();
      },
    ]);
    await run({} as Context);
    expect(seen).toEqual(['a', 'b', 'a-after']);
    const twice = compose([async (_c, next) => (await next(), await next())]);
    await expect(twice({} as Context)).rejects.toThrow(/twice/);
  });
  it('turns a stage that throws before returning a promise into a rejection, and stops where a stage does not call next', async () => {
    const thrown = compose([
      () => {
        throw new Error('at once');
      },
    ]);
    await expect(thrown({} as Context)).rejects.toThrow('at once');
    const seen: string[] = [];
    const stops = compose([(_c, next) => (seen.push('a'), next()), async () => void seen.push('b'), async () => void seen.push('never')]);
    await stops({} as Context);
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('random ids', () => {
  it('gives 8 hex characters from the CSPRNG, each slice of its pool once, across refills', () => {
    const ids = Array.from({ length: 5_000 }, () => randomHex4()); // ~5 refills of the pool
    expect(ids.every((h) => /^[0-9a-f]{8}$/.test(h))).toBe(true);
    // 5,000 draws from 2^32: a repeat has odds of ~0.3%; a slice handed out twice repeats every refill.
    expect(new Set(ids).size).toBeGreaterThanOrEqual(4_998);
  });
});

describe('top-ups (domain/topup.ts)', () => {
  it('reads TUJUAN: digits, a zone as ID(ZONE) or a second word, an optional voucher; anything else is no target', () => {
    expect(readTopupArgs(['087800001230'])).toEqual({ target: '087800001230' });
    expect(readTopupArgs(['+6287800001230', 'HEMAT10'])).toEqual({ target: '6287800001230', voucher: 'HEMAT10' });
    expect(readTopupArgs(['12345678(1234)'])).toEqual({ target: '123456781234', zoneLength: 4 });
    expect(readTopupArgs(['12345678', '1234', 'HEMAT10'])).toEqual({ target: '123456781234', zoneLength: 4, voucher: 'HEMAT10' });
    // Shown as the buyer wrote it: the zone apart.
    expect([shownTarget('123456781234', 4), shownTarget('087800001230', null)]).toEqual(['12345678 (1234)', '087800001230']);
    for (const bad of [[], ['12'], ['0878-1234'], ['12345678(12a)'], ['12345678(1234)', '99'], ['1234', 'HEMAT10', 'X'], ['1234567', '12', 'V', 'W'], ['1'.repeat(25)]]) {
      expect(readTopupArgs(bad)).toBeNull();
    }
  });

  it('renders WhatsApp formatting as HTML, escaped, links whole', () => {
    expect(whatsappHtml('*Menu*\n_Game_ ~lama~ ```kode``` 2*3*4')).toBe('<b>Menu</b>\n<i>Game</i> <s>lama</s> <code>kode</code> 2*3*4');
    expect(whatsappHtml('<script>x</script> *a')).toBe('&#60;script&#62;x&#60;/script&#62; *a');
    expect(whatsappHtml('bayar https://pay.test/a_b_c*d_ ya')).toBe('bayar <a href="https://pay.test/a_b_c*d_" target="_blank" rel="noopener">https://pay.test/a_b_c*d_</a> ya');
  });

  it("cuts a seller's text at a word, never mid-word", () => {
    const text = 'TUJUAN: ID dan Zone, misalnya 12345678(1234) atau 12345678 1234, cek di profil game';
    const cut = clipWords(text, 40);
    expect(cut.endsWith('…')).toBe(true);
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    expect(text[cut.length - 1]).toBe(' ');
    expect(clipWords('pendek', 40)).toBe('pendek');
  });

  it('checks a top-up destination for its kind before payment: a phone by operator prefix and length, a meter by length, a game ID by pattern', () => {
    expect([targetKindOf('Pulsa', 'XL'), targetKindOf('Data', 'TELKOMSEL'), targetKindOf('E-Money', 'DANA'), targetKindOf('PLN', 'PLN'), targetKindOf('Games', 'MOBILE LEGENDS'), targetKindOf('Voucher', 'Google Play')]).toEqual([
      'phone', 'phone', 'phone', 'meter', 'game', 'other',
    ]);
    // A phone number: 08…, 10 to 13 digits, a known operator; 62… becomes 08….
    expect(['087800001230', '6287800001230', '081234567', '0878', '08001234567', '087800001230123', '0211234567'].map((t) => checkTarget('phone', t, null))).toEqual([
      '087800001230', '087800001230', null, null, null, null, null,
    ]);
    expect(checkTarget('phone', '08780000123', 4)).toBeNull();
    expect(['12345678901', '123456789012', '1234567890', '1234567890123'].map((t) => checkTarget('meter', t, null))).toEqual(['12345678901', '123456789012', null, null]);
    expect([checkTarget('game', '123456781234', 4), checkTarget('game', '12341234', 4), checkTarget('game', '1234567', null), checkTarget('game', '12345678901234567', null)]).toEqual(['123456781234', '12341234', '1234567', null]);
    expect(checkTarget('other', '42', null)).toBe('42');
  });

  it('decides by the status first: only Gagal fails, only Sukses succeeds, rc 99 and anything unreadable are not failures', () => {
    expect(supplierOutcome('Sukses', '00')).toBe('success');
    expect(supplierOutcome('Gagal', '02')).toBe('failed');
    expect(supplierOutcome('Gagal', '77')).toBe('failed');
    expect(supplierOutcome('Pending', '03')).toBe('pending');
    expect(supplierOutcome('Pending', '99')).toBe('pending');
    expect(supplierOutcome(undefined, '99')).toBe('pending');
    expect(supplierOutcome(undefined, undefined)).toBe('unknown');
    expect(supplierOutcome('Success', '00')).toBe('unknown'); // Digiflazz Malaysia's words are not this API's
    expect([snOf(''), snOf('N/A'), snOf(' - '), snOf('0253 3200')]).toEqual([null, null, null, '0253 3200']);
    expect(failureOf('44')).toEqual({ reason: 'store', admin: true });
    expect(failureOf('54')).toEqual({ reason: 'target', admin: false });
    expect(failureOf('xx')).toEqual({ reason: 'other', admin: false });
  });

  it('reads the cut-off window in WIB, wrapping midnight; equal ends mean none', () => {
    const at = (hhmmWib: string) => new Date(`2026-11-30T${hhmmWib}:00+07:00`);
    const wrap = { cutOffStart: '23:45', cutOffEnd: '00:15' };
    expect([inCutOff(wrap, at('23:44')), inCutOff(wrap, at('23:45')), inCutOff(wrap, at('00:10')), inCutOff(wrap, at('00:15'))]).toEqual([false, true, true, false]);
    const day = { cutOffStart: '01:00', cutOffEnd: '03:00', multi: true, pln: false, targetKind: 'phone' as const, postpaid: false, admin: 0 };
    expect([inCutOff(day, at('00:59')), inCutOff(day, at('02:00')), inCutOff(day, at('03:00'))]).toEqual([false, true, false]);
    expect(inCutOff({ cutOffStart: '00:00', cutOffEnd: '00:00' }, at('00:00'))).toBe(false);
    expect(unsellable(null, at('12:00'))).toBe('unsynced');
    expect(unsellable({ cost: 1, active: false, ...day }, at('12:00'))).toBe('unavailable');
    expect(unsellable({ cost: 1, active: true, ...day }, at('02:00'))).toBe('cut_off');
    expect(unsellable({ cost: 1, active: true, ...day }, at('12:00'))).toBeNull();
    // A PLN token is known by its price-list category or brand.
    expect([isPlnEntry('PLN', 'PLN'), isPlnEntry('Pulsa', 'pln '), isPlnEntry('Games', 'PLNX'), isPlnEntry('Pulsa', 'XL')]).toEqual([true, true, false, false]);
    // A meter check: a name is a meter; an rc that blames the number, or a success without a name, is none; the rest is not known.
    expect(readMeterCheck({ rc: '00', status: 'Sukses', name: ' BUDI ', segment_power: 'R1 /900' })).toEqual({ found: true, name: 'BUDI', segment: 'R1 /900' });
    expect(readMeterCheck({ rc: '54', status: 'Gagal', message: 'Nomor Tujuan Salah', name: '' })).toEqual({ found: false, message: 'Nomor Tujuan Salah' });
    expect(readMeterCheck({ rc: '00', status: 'Sukses', name: '' })).toEqual({ found: false, message: '' });
    expect([readMeterCheck({ rc: '86', status: 'Gagal' }), readMeterCheck({ rc: '41', status: 'Gagal' }), readMeterCheck('<html>'), readMeterCheck(null)]).toEqual([null, null, null, null]);
  });

  it('re-checks no sooner than a minute, backing off to hourly, and stops well before 90 days', () => {
    const created = new Date('2026-11-30T00:00:00Z');
    const mins = (d: Date | null) => (d === null ? null : (d.getTime() - created.getTime()) / 60_000);
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => mins(nextCheckAt(created, n, created)))).toEqual([1, 2, 5, 10, 30, 60, 60]);
    const late = new Date(created.getTime() + 80 * 86_400_000 - 30 * 60_000);
    expect(nextCheckAt(created, 50, late)).toBeNull();
    expect(STOP_CHECKING_AFTER_MS).toBeLessThan(90 * 86_400_000);
  });
});

describe('WIB times', () => {
  // The reference is ICU's own formatting (what kedai used before writing it out): the same text for any moment.
  const icu = (locale: string, year: boolean) =>
    new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', ...(year ? { year: 'numeric' } : {}), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  it('reads as a clock in Jakarta shows it, in Indonesian and English, with and without the year, for any moment', () => {
    const moments = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(moments, (d) => {
        expect(formatWib(d)).toBe(`${icu('id-ID', false).format(d)} WIB`);
        expect(formatWibEn(d)).toBe(`${icu('en-GB', false).format(d)} WIB`);
        expect(formatWibLong(d)).toBe(`${icu('id-ID', true).format(d)} WIB`);
        expect(formatWibLongEn(d)).toBe(`${icu('en-GB', true).format(d)} WIB`);
      }),
      { numRuns: 2_000 },
    );
    // Midnight in Jakarta is still the day before in UTC.
    expect(formatWib(new Date('2026-12-03T17:00:00Z'))).toBe('4 Des, 00.00 WIB');
  });
});
