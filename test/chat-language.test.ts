import { describe, expect, it } from 'vitest';
import { ADMIN, concurrentBackend, startKedai } from './helpers.js';

/** Words that give the other language away; a product's own name or a link is the seller's, not the bot's. */
const ENGLISH = /\b(the|your|balance|order|product|stock|price|payment|please|sold out|cancel|failed|delivered|pending|pay|here|before|amount|buyer|admin only)\b/i;
const INDONESIAN = /\b(dan|yang|saldo|pesanan|produk|stok|harga|bayar|silakan|habis|batal|gagal|terkirim|menunggu|sekarang|tidak|untuk|dengan|ketik)\b/i;

/** Every reply of a buyer's and a seller's usual session, in each language, holds no word of the other. */
describe('the chat speaks one language', () => {
  for (const locale of ['id', 'en'] as const) {
    it(`LOCALE=${locale}`, async () => {
      const h = await startKedai(concurrentBackend, { LOCALE: locale });
      try {
        await h.chat(ADMIN, '.addproduk LANG1|Netflix|5000|Premium');
        await h.chat(ADMIN, '.addstok LANG1\nkey-1\nkey-2');
        const b = '6281211118888';
        await h.chat(ADMIN, `.addsaldo ${b} 20000`);
        for (const cmd of ['.menu', '.produk', '.info LANG1', '.info', '.cs', '.saldo', '.buy LANG1', '.buy LANG1 5', '.buy NOPE', '.buynow LANG1', '.buy LANG1', '.batal', '.riwayat', '.deposit 500', '.deposit 10000', '.batal', '.kirimulang KD-X', '.topup', '.xyz', '.buy']) {
          await h.chat(b, cmd);
        }
        for (const cmd of ['.addproduk LANG2|Spotify|3000', '.setharga LANG2 4000 reseller', '.setmodal LANG2 1000', '.addstok LANG2\nx', '.rekap', '.performa', '.voucher']) await h.chat(ADMIN, cmd);
        const other = locale === 'id' ? ENGLISH : INDONESIAN;
        const texts = [...(await h.sentTo(b)), ...(await h.sentTo(ADMIN))].map((t) => t.replace(/https?:\/\/\S+/g, ''));
        expect(texts.length).toBeGreaterThan(25);
        expect(texts.filter((t) => other.test(t))).toEqual([]);
      } finally {
        await h.stop();
      }
    }, 60_000);
  }
});
