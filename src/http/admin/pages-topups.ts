import type { FastifyInstance } from 'fastify';
import { setSku, supplierStatus } from '../../app/topup.js';
import type { SupplierOrder } from '../../app/ports.js';
import type { AdminPage, Form } from './dashboard.js';
import { esc, form, rp, when } from './html.js';

const STATE: Record<SupplierOrder['status'], string> = {
  queued: 'antre',
  pending: 'diproses pemasok',
  unknown: 'belum pasti (dicek ulang)',
  success: 'sukses',
  failed: 'gagal',
};

/** One supplier order as the dashboard shows it: status, SN and what the supplier said. */
export const supplierOrderRow = (so: SupplierOrder): string =>
  `<tr data-supplier-order="${esc(so.refId)}"><td><a href="/admin/orders/${esc(so.refId)}">${esc(so.refId)}</a><br><small>${when(so.createdAt)}</small></td>
   <td>${esc(so.sku)}<br>${esc(so.customerNo)}</td><td>${esc(STATE[so.status])}${so.escalatedAt ? ' ⚠️' : ''}<br><small>${so.attempts}× dicek${so.nextCheckAt && so.status !== 'success' && so.status !== 'failed' ? ` · lagi ${when(so.nextCheckAt)}` : ''}</small></td>
   <td>${so.sn ? `<code>${esc(so.sn)}</code>` : '—'}</td><td>${so.rc ? `rc ${esc(so.rc)} ` : ''}${esc(so.message ?? '')}${so.price !== null ? `<br><small>modal ${rp(so.price)}</small>` : ''}</td></tr>`;

export const SUPPLIER_ORDER_HEAD = '<tr><th>Pesanan</th><th>SKU / tujuan</th><th>Status</th><th>SN</th><th>Jawaban pemasok</th></tr>';

/** Top-ups: the supplier's deposit and price-list sync, the SKU of each top-up product, and the supplier orders. */
export function registerTopupPages(app: FastifyInstance, p: AdminPage): void {
  const { deps } = p;
  app.get('/admin/topups', async (req, reply) => {
    const csrf = p.csrf(req);
    const [status, orders, products] = await Promise.all([
      supplierStatus(deps).catch(() => null),
      deps.store.direct.supplier.recent(100),
      deps.store.direct.products.listActive(),
    ]);
    const deposit = status?.live ?? status?.balance ?? null;
    const head = status
      ? `<div class="cards"><div class="card">Deposit ${esc(status.name)}<b data-supplier-balance>${deposit === null ? '—' : rp(deposit)}</b>${deposit !== null && deposit < deps.settings.supplierLowBalance ? '<small>⚠️ di bawah batas, isi ulang</small>' : ''}</div>
         <div class="card">Top-up menunggu<b>${status.open}</b></div><div class="card">Daftar harga<b>${status.skus} SKU</b><small>sinkron ${when(status.syncedAt)}${status.syncError ? ` · ${esc(status.syncError)}` : ''}</small></div></div>`
      : '<section class="alert"><p>Pemasok top-up belum diatur (DIGIFLAZZ_USERNAME dan DIGIFLAZZ_API_KEY). Produk top-up tidak bisa dijual.</p></section>';
    const topups = products.filter((x) => x.supplierSku);
    const skuRows = topups
      .map(
        (x) => `<tr><td><b>${esc(x.code)}</b><br>${esc(x.name)}</td><td>${esc(x.supplierSku)}</td><td class="num">${x.offer ? rp(x.offer.cost) : '—'}</td><td class="num">${rp(x.price)}</td>
          <td>${x.offer ? (x.offer.active ? `tersedia${x.offer.cutOffStart !== x.offer.cutOffEnd ? ` · cut-off ${esc(x.offer.cutOffStart)}–${esc(x.offer.cutOffEnd)} WIB` : ''}` : 'tidak tersedia') : 'belum tersinkron'}${x.offer && x.offer.cost > x.price ? ' ⚠️ modal di atas harga jual' : ''}</td></tr>`,
      )
      .join('');
    const options = products.map((x) => `<option>${esc(x.code)}</option>`).join('');
    return p.render(
      req,
      reply,
      'Top-up',
      `${head}
       <section><h2>Jadikan produk top-up</h2>${form('/admin/topups/sku', csrf, `<select name="code" aria-label="produk">${options}</select><input name="sku" placeholder="SKU pemasok (- = produk stok)" required aria-label="SKU"><button>Simpan</button>`)}</section>
       <section class="scroll"><h2>Produk top-up</h2>${topups.length ? `<table><tr><th>Produk</th><th>SKU</th><th class="num">Modal</th><th class="num">Harga jual</th><th>Keadaan</th></tr>${skuRows}</table>` : '<p>Belum ada. Pilih produk dan SKU pemasoknya di atas (atau <code>.setsku KODE SKU</code> di chat).</p>'}</section>
       <section class="scroll"><h2>Pesanan ke pemasok</h2>${orders.length ? `<table>${SUPPLIER_ORDER_HEAD}${orders.map(supplierOrderRow).join('')}</table>` : '<p>—</p>'}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/topups/sku', async (req, reply) =>
    p.act(reply, '/admin/topups', async () => deps.texts.skuSet(await setSku(deps, req.body.code ?? '', (req.body.sku ?? '').trim()))),
  );
}
