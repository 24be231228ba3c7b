import type { FastifyInstance } from 'fastify';
import { addProduct, addStock, removeStock, setRolePrice, updateProduct } from '../../app/admin.js';
import { needsAttention, periodStart, salesRecap, type Attention } from '../../app/reports.js';
import { lastDays, ordersChart, revenueChart, topProductsChart } from './chart.js';
import { parseRupiah } from '../../domain/money.js';
import { DomainError } from '../../domain/errors.js';
import type { AdminPage, Form } from './dashboard.js';
import { esc, form, rp, when } from './html.js';

const LOW_STOCK = 3;
const PRODUCTS_PAGE = 50;

const price = (text: string | undefined) => {
  const v = parseRupiah(text ?? '');
  if (v === null) throw new DomainError('INVALID_AMOUNT');
  return v;
};

/** Overview, products and stock. */
export function registerStorePages(app: FastifyInstance, p: AdminPage): void {
  const { deps } = p;

  app.get('/admin', async (req, reply) => {
    const now = deps.clock.now();
    const [today, month, daily, newBuyers, ops, attention] = await Promise.all([
      salesRecap(deps, 'today'),
      salesRecap(deps, '30d'),
      deps.store.direct.reports.dailyRevenue(30),
      deps.store.direct.reports.newBuyersSince(periodStart('today', now)),
      deps.ops?.report() ?? null,
      needsAttention(deps, LOW_STOCK),
    ]);
    const paused = ops?.sendingPaused
      ? `<section class="alert" data-sending-paused><h2>Kirim ke WhatsApp dijeda</h2><p>Sejak ${when(ops.sendingPaused.since)}: ${esc(ops.sendingPaused.reason)}</p>
         <p>WhatsApp menolak token akses atau izin nomor ini. Tidak ada pesan yang dibuang: semuanya menunggu di antrean dan terkirim begitu token berfungsi lagi (dicoba berkala, WHATSAPP_PROBE_SECONDS).</p></section>`
      : '';
    const supplier = ops?.supplier
      ? `<section${ops.supplier.low ? ' class="alert"' : ''} data-supplier><h2>Pemasok top-up</h2><p>Deposit ${ops.supplier.balance === null ? 'belum diketahui' : rp(ops.supplier.balance)}${ops.supplier.low ? ' — di bawah batas (SUPPLIER_LOW_BALANCE), isi ulang agar top-up tidak gagal' : ''} · top-up menunggu pemasok: ${ops.supplier.pendingTopups} · <a href="/admin/topups">rincian</a></p></section>`
      : '';
    const live = ops
      ? `${paused}${supplier}<section><h2>Sistem sekarang</h2><p data-live>Aktif ${Math.round(ops.uptimeSeconds / 60)} menit · pesan masuk ${ops.messages} · respons p95 ${ops.p95ms ?? '—'} ms ·
         cache hit ${ops.cacheHitRatio === null ? '—' : `${Math.round(ops.cacheHitRatio * 100)}%`} · dibatasi ${ops.rateLimited} ·
         database ${ops.dbMs === null ? 'MATI' : `${ops.dbMs} ms`} · Redis ${typeof ops.redis === 'number' ? `${ops.redis} ms` : ops.redis} · antrean keluar ${ops.outboxBacklog ?? '—'}</p>
         <p data-memory>Memori proses bot: ${ops.rssMb} MB (RSS; heap JavaScript ${ops.heapMb} MB). ${ops.rssMb > 400 ? 'Tinggi: periksa log, atau mulai ulang bot.' : 'Wajar: bot dengan PostgreSQL biasanya 100–200 MB, dengan database bawaan (PGlite) 200–300 MB.'}</p>
         <p><small>Metrik lengkap untuk Prometheus di <code>/metrics</code>.</small></p></section>`
      : '';
    const days = lastDays(daily, now);
    return p.render(
      req,
      reply,
      'Ringkasan',
      `<div class="cards">
        <div class="card">Omzet hari ini<b>${rp(today.revenue)}</b></div>
        <div class="card">Pesanan hari ini<b>${today.orders}</b></div>
        <div class="card">Pembeli baru hari ini<b>${newBuyers}</b></div>
        <div class="card">Omzet 30 hari<b>${rp(month.revenue)}</b></div></div>
      ${attentionSection(attention)}
      <section>${revenueChart(days)}</section>
      <section>${ordersChart(days)}</section>
      ${live}
      <section><h2>Produk teratas (30 hari)</h2>${topProductsChart(month.top)}</section>`,
    );
  });

  app.get('/admin/products', async (req, reply) => {
    const csrf = p.csrf(req);
    // A page of 50 in catalogue order (an index range, however many products), with the counts of those 50 only.
    const pageNo = Math.max(1, Math.min(100_000, Number((req.query as Form).page) || 1));
    const { products, total } = await deps.store.direct.products.page(undefined, (pageNo - 1) * PRODUCTS_PAGE, PRODUCTS_PAGE);
    const counts = products.length ? await deps.store.direct.reports.stockCounts(products.map((x) => x.code)) : [];
    const pages = Math.max(1, Math.ceil(total / PRODUCTS_PAGE));
    const paging =
      pages > 1
        ? `<p class="row" data-paging>${pageNo > 1 ? `<a href="/admin/products?page=${pageNo - 1}">← Sebelumnya</a>` : ''} halaman ${pageNo} dari ${pages} (${total} produk) ${pageNo < pages ? `<a data-next href="/admin/products?page=${pageNo + 1}">Berikutnya →</a>` : ''}</p>`
        : '';
    const stockOf = new Map(counts.map((c) => [c.code, c]));
    const facts = (x: (typeof products)[number]) => {
      const st = stockOf.get(x.code);
      const roles = Object.entries(x.prices).map(([role, price]) => `${esc(role)} ${rp(price)}`);
      return [
        x.category ? `kategori ${esc(x.category)}` : 'tanpa kategori',
        x.supplierSku ? `top-up SKU ${esc(x.supplierSku)}${x.offer ? ` · modal ${rp(x.offer.cost)}` : ''}` : `stok ${st?.available ?? 0} tersedia · ${st?.reserved ?? 0} dipesan · ${st?.sold ?? 0} terjual`,
        ...(roles.length ? [`harga role: ${roles.join(', ')}`] : []),
      ].join(' · ');
    };
    const rows = products
      .map(
        (x) => `<tr data-product="${esc(x.code)}"><td><b>${esc(x.code)}</b><br><small>${facts(x)}</small></td><td>${form(`/admin/products/${encodeURIComponent(x.code)}`, csrf, `<input name="name" value="${esc(x.name)}" aria-label="nama"><input name="price" value="${x.price}" size="8" aria-label="harga"><input name="description" value="${esc(x.description)}" aria-label="deskripsi"><button>Simpan</button>`)}</td>
          <td>${form(`/admin/products/${encodeURIComponent(x.code)}/role-price`, csrf, '<input name="role" placeholder="role, mis. reseller" size="12" aria-label="role"><input name="price" placeholder="Harga role" size="8" aria-label="harga role"><button>Harga role</button>')}
          ${form(`/admin/products/${encodeURIComponent(x.code)}/deactivate`, csrf, '<button class="danger">Nonaktifkan</button>')}</td></tr>`,
      )
      .join('');
    return p.render(
      req,
      reply,
      'Produk',
      `<section><h2>Produk baru</h2>${form('/admin/products', csrf, '<input name="code" placeholder="KODE" required size="10"><input name="name" placeholder="Nama" required><input name="price" placeholder="Harga" required size="8"><input name="description" placeholder="Deskripsi"><button>Tambah</button>')}</section>
       <section class="scroll"><h2>Produk aktif</h2>${products.length ? `<table class="stack">${rows}</table>${paging}` : '<p>Belum ada produk.</p>'}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/products', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      const b = req.body;
      const made = await addProduct(deps, { code: b.code ?? '', name: b.name ?? '', price: price(b.price), description: b.description ?? '' });
      return `Produk ${made.code} ditambahkan.`;
    }),
  );
  app.post<{ Params: { code: string }; Body: Form }>('/admin/products/:code', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      const b = req.body;
      await updateProduct(deps, req.params.code, { name: b.name?.trim() || undefined, price: price(b.price), description: b.description ?? '' });
      return `Produk ${req.params.code} disimpan.`;
    }),
  );
  // `.setharga CODE PRICE ROLE`: what buyers of that role pay.
  app.post<{ Params: { code: string }; Body: Form }>('/admin/products/:code/role-price', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      await setRolePrice(deps, req.params.code, req.body.role ?? '', price(req.body.price));
      return `Harga ${req.params.code} untuk role ${(req.body.role ?? '').trim().toLowerCase()} disimpan.`;
    }),
  );
  app.post<{ Params: { code: string } }>('/admin/products/:code/deactivate', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      await updateProduct(deps, req.params.code, { active: false });
      return `Produk ${req.params.code} dinonaktifkan.`;
    }),
  );

  app.get('/admin/stock', async (req, reply) => {
    const csrf = p.csrf(req);
    // The counts of one page of 50 products (counting every item of 10,000 products would read them all).
    const pageNo = Math.max(1, Math.min(100_000, Number((req.query as Form).page) || 1));
    const [{ products, total }, all] = await Promise.all([
      deps.store.direct.products.page(undefined, (pageNo - 1) * PRODUCTS_PAGE, PRODUCTS_PAGE),
      deps.store.direct.products.listActive(),
    ]);
    const counts = products.length ? (await deps.store.direct.reports.stockCounts(products.map((x) => x.code))).filter((c) => c.active && !c.topup) : [];
    const pages = Math.max(1, Math.ceil(total / PRODUCTS_PAGE));
    const paging =
      pages > 1
        ? `<p class="row" data-paging>${pageNo > 1 ? `<a href="/admin/stock?page=${pageNo - 1}">← Sebelumnya</a>` : ''} halaman ${pageNo} dari ${pages} ${pageNo < pages ? `<a data-next href="/admin/stock?page=${pageNo + 1}">Berikutnya →</a>` : ''}</p>`
        : '';
    const rows = counts
      .map(
        (s) => `<tr id="${esc(s.code)}"><td><b>${esc(s.code)}</b><br>${esc(s.name)}</td><td class="num" data-available="${esc(s.code)}">${s.available}</td><td class="num">${s.reserved}</td><td class="num">${s.sold}</td>
          <td>${form(`/admin/stock/${encodeURIComponent(s.code)}/remove`, csrf, '<input name="count" size="4" placeholder="N" aria-label="jumlah"><button class="danger">Hapus tersedia</button>')}</td></tr>`,
      )
      .join('');
    const options = all.filter((x) => !x.supplierSku).map((x) => `<option>${esc(x.code)}</option>`).join('');
    return p.render(
      req,
      reply,
      'Stok',
      `<section><h2>Tambah stok</h2>${form(
        '/admin/stock',
        csrf,
        `<select name="code" aria-label="produk">${options}</select>
         <input type="file" accept=".txt,.csv,text/plain,text/csv" aria-label="berkas TXT/CSV" data-fill="items">
         <textarea name="items" placeholder="Satu item per baris (kode, akun, lisensi …), atau pilih berkas TXT/CSV"></textarea><button>Tambah</button>`,
      )}</section>
       <section class="scroll"><h2>Jumlah</h2><table><tr><th>Produk</th><th class="num">Tersedia</th><th class="num">Dipesan</th><th class="num">Terjual</th><th></th></tr>${rows}</table>${paging}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/stock', async (req, reply) =>
    p.act(reply, '/admin/stock', async () => {
      const code = (req.body.code ?? '').toUpperCase();
      const { added, skipped, available } = await addStock(deps, code, (req.body.items ?? '').split(/\r?\n/));
      return deps.texts.stockAdded(code, added, available, skipped);
    }),
  );
  app.post<{ Params: { code: string }; Body: Form }>('/admin/stock/:code/remove', async (req, reply) =>
    p.act(reply, '/admin/stock', async () => {
      const n = req.body.count?.trim() ? Number(req.body.count) : null;
      if (n !== null && (!Number.isInteger(n) || n < 1)) throw new DomainError('INVALID_QTY', { max: 100_000 });
      return `${await removeStock(deps, req.params.code, n)} item ${req.params.code} dihapus.`;
    }),
  );
}

/** What waits for the seller: held payments, reversals, stuck top-ups, undelivered messages, low stock. */
function attentionSection(a: Attention): string {
  const items = [
    ...a.review.map((o) => `<li>Pembayaran <a href="/admin/orders/${esc(o.publicId)}">${esc(o.publicId)}</a> (${rp(o.total)}) ditahan untuk ditinjau sejak ${when(o.reviewSince)}: setujui atau tolak di dashboard Midtrans.</li>`),
    ...a.reversed.map((o) => `<li>Pembayaran <a href="/admin/orders/${esc(o.publicId)}">${esc(o.publicId)}</a> dibatalkan bank${o.owed > 0 ? `, terhutang ${rp(o.owed)}` : ''}; pembeli <a href="/admin/buyers/${esc(o.waId)}">${esc(o.waId)}</a> ditahan sampai dilepas.</li>`),
    ...a.stuckTopups.map((so) => `<li>Top-up <a href="/admin/orders/${esc(so.refId)}">${esc(so.refId)}</a> (${esc(so.sku)} ke ${esc(so.customerNo)}) belum ada kepastian dari pemasok sejak ${when(so.createdAt)}.</li>`),
    ...a.deadLetters.map((d) => `<li>Pesan ke ${esc(d.recipient)} tidak terkirim (${when(d.at)}): ${esc(d.error)}<br><small>${esc(d.body.slice(0, 160))}</small></li>`),
    ...a.lowStock.map((st) => `<li>Stok <a href="/admin/stock#${esc(st.code)}">${esc(st.code)}</a> ${st.available === 0 ? 'HABIS' : `tinggal ${st.available}`}.</li>`),
  ];
  return items.length
    ? `<section class="alert" data-attention><h2>Perlu perhatian (${items.length})</h2><ul class="attention">${items.join('')}</ul></section>`
    : '<section data-attention><h2>Perlu perhatian</h2><p>Tidak ada yang menunggu keputusanmu.</p></section>';
}
