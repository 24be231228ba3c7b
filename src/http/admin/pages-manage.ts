import type { FastifyInstance } from 'fastify';
import { setCategory } from '../../app/admin.js';
import { broadcast, broadcastAudience, salesBetween, salesRecap } from '../../app/reports.js';
import { addVoucher, deleteVoucher, listVouchers } from '../../app/vouchers.js';
import type { SalesReport } from '../../app/ports.js';
import { DomainError } from '../../domain/errors.js';
import { parseRupiah } from '../../domain/money.js';
import { parseDiscount } from '../../domain/pricing.js';
import type { AdminPage, Form } from './dashboard.js';
import { esc, form, rp, when } from './html.js';

/** An optional whole number from a form field; `command` names the usage a bad one gets. */
const optionalCount = (text: string | undefined, command: string): number | null => {
  const t = (text ?? '').trim();
  if (t === '') return null;
  if (!/^\d{1,6}$/.test(t) || Number(t) < 1) throw new DomainError('INVALID_INPUT', { command });
  return Number(t);
};

const recapTable = (title: string, r: SalesReport) =>
  `<section data-recap><h2>${esc(title)}</h2><div class="cards"><div class="card">Pesanan terjual<b>${r.orders}</b></div><div class="card">Omzet<b>${rp(r.revenue)}</b></div></div>
   ${r.top.length ? `<table><tr><th>Produk teratas</th><th class="num">Terjual</th><th class="num">Omzet</th></tr>${r.top.map((t) => `<tr><td>${esc(t.code)} · ${esc(t.name)}</td><td class="num">${t.qty}</td><td class="num">${rp(t.revenue)}</td></tr>`).join('')}</table>` : '<p>Belum ada penjualan.</p>'}</section>`;

/** Categories, vouchers, broadcast and the sales recap: what the chat's admin commands do, as pages. */
export function registerManagePages(app: FastifyInstance, p: AdminPage): void {
  const { deps } = p;

  app.get('/admin/categories', async (req, reply) => {
    const csrf = p.csrf(req);
    const [categories, products] = await Promise.all([deps.store.direct.products.categories(), deps.store.direct.products.listActive()]);
    const options = products.map((x) => `<option value="${esc(x.code)}">${esc(x.code)} · ${esc(x.name)}${x.category ? ` (${esc(x.category)})` : ''}</option>`).join('');
    return p.render(
      req,
      reply,
      'Kategori',
      `<section><h2>Pindahkan produk ke kategori</h2>${form('/admin/categories', csrf, `<select name="code" aria-label="produk">${options}</select><input name="category" placeholder="Kategori (- = tanpa)" required aria-label="kategori"><button>Simpan</button>`)}
       <p><small>1–40 huruf, bukan hanya angka. Pembeli melihatnya di <code>.produk</code>.</small></p></section>
       <section><h2>Kategori</h2>${categories.length ? `<table data-categories>${categories.map((c) => `<tr><td>${c.name === null ? '<i>Lainnya (tanpa kategori)</i>' : esc(c.name)}</td><td class="num">${c.products} produk</td></tr>`).join('')}</table>` : '<p>Belum ada produk.</p>'}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/categories', async (req, reply) =>
    p.act(reply, '/admin/categories', async () => {
      const product = await setCategory(deps, req.body.code ?? '', req.body.category ?? '');
      return `${product.code} sekarang di ${product.category ?? 'Lainnya'}.`;
    }),
  );

  app.get('/admin/vouchers', async (req, reply) => {
    const csrf = p.csrf(req);
    const vouchers = await listVouchers(deps);
    const rows = vouchers
      .map(
        (v) => `<tr data-voucher="${esc(v.code)}"><td><b>${esc(v.code)}</b></td><td>${'percent' in v.discount ? `${v.discount.percent}%` : rp(v.discount.amount)}</td>
          <td class="num">${v.maxUses === null ? `${v.uses} dipakai` : `sisa ${v.maxUses - v.uses} dari ${v.maxUses}`}</td><td>${v.expiresAt ? when(v.expiresAt) : 'tanpa batas'}</td>
          <td>${v.active ? form(`/admin/vouchers/${encodeURIComponent(v.code)}/stop`, csrf, '<button class="danger">Hentikan</button>') : 'berhenti'}</td></tr>`,
      )
      .join('');
    return p.render(
      req,
      reply,
      'Voucher',
      `<section><h2>Voucher baru</h2>${form(
        '/admin/vouchers',
        csrf,
        '<input name="code" placeholder="KODE" required size="10" aria-label="kode"><input name="discount" placeholder="10% atau 5000" required size="10" aria-label="diskon"><input name="maxUses" placeholder="Maks pakai" size="8" aria-label="maksimal pemakaian"><input name="days" placeholder="Berlaku (hari)" size="8" aria-label="hari berlaku"><button>Buat</button>',
      )}<p><small>Kosongkan maks pakai atau hari untuk tanpa batas. Kode tidak pernah dipakai ulang.</small></p></section>
       <section class="scroll"><h2>Voucher</h2>${vouchers.length ? `<table><tr><th>Kode</th><th>Potongan</th><th class="num">Pemakaian</th><th>Berlaku sampai</th><th></th></tr>${rows}</table>` : '<p>Belum ada voucher.</p>'}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/vouchers', async (req, reply) =>
    p.act(reply, '/admin/vouchers', async () => {
      const b = req.body;
      const discount = parseDiscount(b.discount ?? '', parseRupiah);
      if (!discount) throw new DomainError('INVALID_INPUT', { command: 'addvoucher' });
      const v = await addVoucher(deps, { code: b.code ?? '', discount, maxUses: optionalCount(b.maxUses, 'addvoucher'), daysValid: optionalCount(b.days, 'addvoucher') });
      return deps.texts.voucherAdded(v);
    }),
  );
  app.post<{ Params: { code: string } }>('/admin/vouchers/:code/stop', async (req, reply) =>
    p.act(reply, '/admin/vouchers', async () => deps.texts.voucherDeleted(await deleteVoucher(deps, req.params.code))),
  );

  app.get('/admin/broadcast', async (req, reply) => {
    const csrf = p.csrf(req);
    const q = req.query as Form;
    const draft = (q.text ?? '').slice(0, 4000);
    const reach = await broadcastAudience(deps);
    return p.render(
      req,
      reply,
      'Broadcast',
      `<section><h2>Tulis pesan</h2><form method="get" action="/admin/broadcast"><textarea name="text" placeholder="Pesan untuk pembeli" aria-label="pesan">${esc(draft)}</textarea><button>Pratinjau</button></form>
       <p data-reach>Akan sampai ke <b>${reach}</b> pembeli: hanya yang menulis ke toko dalam 24 jam terakhir. WhatsApp melarang pesan bebas di luar 24 jam itu, dan nomor yang melanggar bisa diblokir.</p></section>
       ${
         draft.trim()
           ? `<section data-preview><h2>Pratinjau</h2><pre>${esc(draft)}</pre>${form('/admin/broadcast', csrf, `<input type="hidden" name="text" value="${esc(draft)}"><button>Kirim ke ${reach} pembeli</button>`)}</section>`
           : ''
       }`,
    );
  });
  app.post<{ Body: Form }>('/admin/broadcast', async (req, reply) =>
    p.act(reply, '/admin/broadcast', async () => deps.texts.broadcastQueued(await broadcast(deps, req.body.text ?? ''))),
  );

  app.get('/admin/reports', async (req, reply) => {
    const q = req.query as Form;
    const [today, week, month] = await Promise.all([salesRecap(deps, 'today'), salesRecap(deps, '7d'), salesRecap(deps, '30d')]);
    let range = '';
    if (q.from || q.to) {
      range = await salesBetween(deps, q.from ?? '', q.to ?? '').then(
        (r) => recapTable(`${q.from} s.d. ${q.to}`, r),
        (err: unknown) => {
          if (!(err instanceof DomainError)) throw err;
          return `<p class="err">Rentang tidak valid: pilih tanggal awal dan akhir (paling lama setahun).</p>`;
        },
      );
    }
    return p.render(
      req,
      reply,
      'Laporan',
      `${recapTable('Hari ini (WIB)', today)}${recapTable('7 hari', week)}${recapTable('30 hari', month)}
       <section><h2>Rentang pilihan</h2><form method="get" class="row"><input type="date" name="from" value="${esc(q.from)}" aria-label="dari"><input type="date" name="to" value="${esc(q.to)}" aria-label="sampai"><button>Tampilkan</button></form>${range}</section>`,
    );
  });
}
