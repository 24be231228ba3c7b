import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ledgerCsv, ordersCsv } from '../../app/exports.js';
import { recheckPayments } from '../../app/reconcile.js';
import type { OrderFilter } from '../../app/ports.js';
import { adjustBalance, refundToBalance, releaseHold, resendOrder, setBlocked, setRole } from '../../app/admin.js';
import { ORDER_STATUSES } from '../../domain/order.js';
import { parseRupiah } from '../../domain/money.js';
import { DomainError } from '../../domain/errors.js';
import type { AdminPage, Form } from './dashboard.js';
import { SUPPLIER_ORDER_HEAD, supplierOrderRow } from './pages-topups.js';
import { esc, form, rp, when } from './html.js';

const dateOrUndefined = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00+07:00`) : undefined);

/**
 * The orders list's filter from its query (status, buyer, WIB dates, and the search box:
 * an order id, a buyer's number or a product code), for the page and its CSV alike.
 */
function filterOf(q: Form): OrderFilter {
  const to = dateOrUndefined(q.to);
  const from = dateOrUndefined(q.from);
  const find = (q.q ?? '').trim();
  const buyer = q.buyer && /^\d{5,20}$/.test(q.buyer) ? q.buyer : /^\+?\d{5,20}$/.test(find) ? find.replace(/^\+/, '') : undefined;
  return {
    ...((ORDER_STATUSES as readonly string[]).includes(q.status ?? '') ? { status: q.status } : {}),
    ...(buyer ? { waId: buyer } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to: new Date(to.getTime() + 86_400_000) } : {}),
    ...(/^KD-/i.test(find) ? { publicId: find.toUpperCase() } : {}),
    ...(find && !/^KD-/i.test(find) && !/^\+?\d+$/.test(find) ? { productCode: find.toUpperCase() } : {}),
  };
}

const PAGE = 50;

/** A CSV download, streamed a page at a time. */
const sendCsv = (reply: FastifyReply, name: string, chunks: AsyncGenerator<string>) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(chunks));

/** Orders and buyers. */
export function registerOrderPages(app: FastifyInstance, p: AdminPage): void {
  const { deps } = p;

  app.get('/admin/orders', async (req, reply) => {
    const q = req.query as Form;
    const filter = filterOf(q);
    const orders = await deps.store.direct.reports.orders({ ...filter, ...(q.before && /^\d{1,18}$/.test(q.before) ? { beforeId: q.before } : {}) }, PAGE);
    const query = (extra: Record<string, string>) =>
      new URLSearchParams(Object.entries({ status: q.status ?? '', buyer: q.buyer ?? '', from: q.from ?? '', to: q.to ?? '', q: q.q ?? '', ...extra }).filter(([, v]) => v)).toString();
    const next = orders.length === PAGE ? `<p><a data-next href="/admin/orders?${query({ before: orders.at(-1)!.orderId })}">Berikutnya (lebih lama) →</a></p>` : '';
    // Payments the bank took back after settlement stay on top until the seller has seen them all (status filter: reversed).
    const reversed = q.status ? [] : await deps.store.direct.orders.reversed(10);
    const alert = reversed.length
      ? `<section class="alert" data-reversed><h2>Dibatalkan bank setelah lunas</h2><table>${reversed
          .map((o) => `<tr><td><a href="/admin/orders/${esc(o.publicId)}">${esc(o.publicId)}</a></td><td><a href="/admin/buyers/${esc(o.waId)}">${esc(o.waId)}</a></td><td class="num">${rp(o.total)}</td><td>terhutang ${rp(o.owed)}</td></tr>`)
          .join('')}</table></section>`
      : '';
    const statuses = ['', ...ORDER_STATUSES].map((s) => `<option${s === q.status ? ' selected' : ''} value="${s}">${s || 'semua status'}</option>`).join('');
    const rows = orders
      .map(
        (o) => `<tr><td><a href="/admin/orders/${esc(o.publicId)}">${esc(o.publicId)}</a></td><td>${when(o.createdAt)}</td><td>${esc(o.waId)}</td>
          <td>${o.kind === 'deposit' ? 'Deposit' : `${esc(o.productCode)} ×${o.qty}`}</td><td class="num">${rp(o.total)}</td><td>${esc(o.status)}</td></tr>`,
      )
      .join('');
    return p.render(
      req,
      reply,
      'Pesanan',
      `${alert}<section><form method="get" class="row"><select name="status" aria-label="status">${statuses}</select>
        <input name="q" placeholder="ID pesanan, nomor, atau kode produk" value="${esc(q.q)}" aria-label="cari"><input name="buyer" placeholder="Nomor pembeli" value="${esc(q.buyer)}"><input type="date" name="from" value="${esc(q.from)}" aria-label="dari"><input type="date" name="to" value="${esc(q.to)}" aria-label="sampai"><button>Saring</button></form>
        <p class="row"><a data-export="orders" href="/admin/orders.csv?${query({})}">Unduh CSV (sesuai saringan)</a> · <a data-export="ledger" href="/admin/ledger.csv">Unduh buku saldo (CSV)</a></p></section>
       <section class="scroll">${orders.length ? `<table class="stack"><tr><th>ID</th><th>Waktu</th><th>Pembeli</th><th>Isi</th><th class="num">Total</th><th>Status</th></tr>${rows}</table>${next}` : '<p>Tidak ada pesanan.</p>'}</section>`,
    );
  });

  // The list as CSV, filtered as shown; and every balance movement.
  app.get('/admin/orders.csv', async (req, reply) => {
    const stamp = deps.clock.now().toISOString().slice(0, 10);
    return sendCsv(reply, `kedai-pesanan-${stamp}.csv`, ordersCsv(deps, filterOf(req.query as Form)));
  });
  app.get('/admin/ledger.csv', async (_req, reply) => sendCsv(reply, `kedai-buku-saldo-${deps.clock.now().toISOString().slice(0, 10)}.csv`, ledgerCsv(deps)));

  app.get<{ Params: { id: string } }>('/admin/orders/:id', async (req, reply) => {
    const order = await deps.store.direct.orders.findByPublicId(req.params.id);
    if (!order) return reply.code(404).send({ error: 'no such order' });
    const csrf = p.csrf(req);
    const [events, items, receipts, supplied] = await Promise.all([
      deps.store.direct.reports.paymentEvents(order.orderId),
      deps.store.direct.stock.itemsOf(order.orderId),
      deps.store.direct.reports.deliveryReceipts(order.orderId),
      order.target !== null ? deps.store.direct.supplier.find(order.publicId) : null,
    ]);
    const receipt = (r: (typeof receipts)[number]) =>
      r.readAt ? `dibaca ${when(r.readAt)}` : r.deliveredAt ? `sampai ${when(r.deliveredAt)}` : r.sentAt && r.status === 'sent' ? `terkirim ${when(r.sentAt)}` : `${esc(r.status)}${r.lastError ? ` — ${esc(r.lastError)}` : ''}`;
    return p.render(
      req,
      reply,
      `Pesanan ${order.publicId}`,
      `<section><h1>${esc(order.publicId)}</h1><table>
        <tr><th>Pembeli</th><td><a href="/admin/buyers/${esc(order.waId)}">${esc(order.waId)}</a></td></tr>
        <tr><th>Isi</th><td>${order.kind === 'deposit' ? 'Deposit saldo' : `${esc(order.productName)} (${esc(order.productCode)}) ×${order.qty} @ ${rp(order.unitPrice)}`}</td></tr>
        <tr><th>Total</th><td>${rp(order.total)} · ${esc(order.paymentMethod)}</td></tr><tr><th>Status</th><td>${esc(order.status)}${order.reviewSince ? ` · ditinjau Midtrans sejak ${when(order.reviewSince)} (setujui/tolak di dashboard Midtrans)` : ''}${order.status === 'reversed' ? ` · terhutang ${rp(order.owed)}` : ''}</td></tr>
        ${order.target !== null ? `<tr><th>Tujuan top-up</th><td>${esc(order.target)}</td></tr>` : ''}
        <tr><th>Dibuat</th><td>${when(order.createdAt)}</td></tr></table>
        <div class="row">${order.status === 'pending' && order.paymentMethod === 'gateway' ? form(`/admin/orders/${esc(order.publicId)}/recheck`, csrf, '<button>Cek ulang ke Midtrans</button>') : ''}
        ${order.status === 'delivered' ? form(`/admin/orders/${esc(order.publicId)}/resend`, csrf, '<button>Kirim ulang barang</button>') : ''}
        ${order.status === 'delivered' || order.status === 'paid' ? form(`/admin/orders/${esc(order.publicId)}/refund`, csrf, '<button class="danger">Kembalikan ke saldo</button>') : ''}</div></section>
       ${order.target !== null ? `<section class="scroll"><h2>Pemasok</h2>${supplied ? `<table>${SUPPLIER_ORDER_HEAD}${supplierOrderRow(supplied)}</table>` : '<p>Belum diserahkan ke pemasok (menunggu pembayaran).</p>'}</section>` : ''}
       <section><h2>Barang terkirim</h2>${items.length ? items.map((i) => `<pre data-item>${esc(i.payload)}</pre>`).join('') : '<p>—</p>'}
         ${receipts.length ? `<p data-receipt>Pesan barang: ${receipts.map(receipt).join(' · ')}</p>` : ''}</section>
       <section class="scroll"><h2>Notifikasi pembayaran</h2>${
         events.length
           ? `<table><tr><th>Diterima</th><th>Status gateway</th><th>Hasil</th><th>Catatan</th></tr>${events.map((e) => `<tr><td>${when(e.receivedAt)}</td><td>${esc(e.transactionStatus)}</td><td>${esc(e.outcome ?? 'menunggu')}</td><td>${esc(e.flag ?? '')}</td></tr>`).join('')}</table>`
           : '<p>—</p>'
       }</section>`,
    );
  });
  // `.cekbayar ORDER`: ask Midtrans now and apply what it says.
  app.post<{ Params: { id: string } }>('/admin/orders/:id/recheck', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => deps.texts.recheck(await recheckPayments(deps, req.params.id))),
  );
  app.post<{ Params: { id: string } }>('/admin/orders/:id/resend', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => {
      await resendOrder(deps, req.params.id);
      return 'Barang dikirim ulang.';
    }),
  );
  app.post<{ Params: { id: string } }>('/admin/orders/:id/refund', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => `Dikembalikan. Saldo pembeli sekarang ${rp(await refundToBalance(deps, req.params.id))}.`),
  );

  app.get('/admin/buyers', async (req, reply) => {
    const q = (req.query as Form).q?.trim() ?? '';
    const pageNo = Math.max(1, Math.min(100_000, Number((req.query as Form).page) || 1));
    const buyers = await deps.store.direct.reports.buyers(q, PAGE + 1, (pageNo - 1) * PAGE);
    const more = buyers.length > PAGE;
    const link = (n: number) => `/admin/buyers?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) }).toString()}`;
    const paging = pageNo > 1 || more ? `<p class="row" data-paging>${pageNo > 1 ? `<a href="${esc(link(pageNo - 1))}">← Sebelumnya</a>` : ''} halaman ${pageNo} ${more ? `<a data-next href="${esc(link(pageNo + 1))}">Berikutnya →</a>` : ''}</p>` : '';
    const rows = buyers
      .slice(0, PAGE)
      .map((u) => `<tr><td><a href="/admin/buyers/${esc(u.waId)}">${esc(u.waId)}</a></td><td>${esc(u.name)}</td><td>${esc(u.role)}</td><td class="num">${rp(u.balance)}</td><td>${u.blocked ? 'diblokir' : ''}</td><td>${when(u.lastSeenAt)}</td></tr>`)
      .join('');
    return p.render(
      req,
      reply,
      'Pembeli',
      `<section><form method="get" class="row"><input name="q" value="${esc(q)}" placeholder="Nomor atau nama"><button>Cari</button></form></section>
       <section class="scroll"><table class="stack"><tr><th>Nomor</th><th>Nama</th><th>Role</th><th class="num">Saldo</th><th></th><th>Terakhir menulis</th></tr>${rows}</table>${paging}</section>`,
    );
  });

  app.get<{ Params: { waId: string } }>('/admin/buyers/:waId', async (req, reply) => {
    const { waId } = req.params;
    const user = await deps.store.direct.users.find(waId);
    if (!user) return reply.code(404).send({ error: 'no such buyer' });
    const csrf = p.csrf(req);
    const orders = await deps.store.direct.reports.orders({ waId }, 50);
    const base = `/admin/buyers/${esc(waId)}`;
    return p.render(
      req,
      reply,
      `Pembeli ${waId}`,
      `<section><h1>${esc(waId)} ${esc(user.name)}</h1><p>Saldo <b data-balance>${rp(user.balance)}</b> · role ${esc(user.role)} ${user.blocked ? '· <b>diblokir</b>' : ''}${user.heldReason !== null ? ` · <b data-held>pembelian ditahan</b> (pembayaran ${esc(user.heldReason)} dibatalkan bank)` : ''}</p>
        ${user.heldReason !== null ? form(`${base}/release`, csrf, '<button>Boleh beli lagi</button>') : ''}
        ${form(`${base}/balance`, csrf, '<input name="amount" placeholder="+50000 atau -10000" required><input name="reason" placeholder="Alasan" required><button>Ubah saldo</button>')}
        ${form(`${base}/role`, csrf, `<input name="role" value="${esc(user.role)}" size="10" aria-label="role"><button>Simpan role</button>`)}
        ${form(`${base}/${user.blocked ? 'unblock' : 'block'}`, csrf, `<button class="${user.blocked ? '' : 'danger'}">${user.blocked ? 'Buka blokir' : 'Blokir'}</button>`)}</section>
       <section class="scroll"><h2>Riwayat</h2><table>${orders.map((o) => `<tr><td><a href="/admin/orders/${esc(o.publicId)}">${esc(o.publicId)}</a></td><td>${when(o.createdAt)}</td><td class="num">${rp(o.total)}</td><td>${esc(o.status)}</td></tr>`).join('')}</table></section>`,
    );
  });
  app.post<{ Params: { waId: string }; Body: Form }>('/admin/buyers/:waId/balance', async (req, reply) =>
    p.act(reply, `/admin/buyers/${encodeURIComponent(req.params.waId)}`, async () => {
      const text = (req.body.amount ?? '').replace(/\s/g, '');
      const sign = text.startsWith('-') ? -1 : 1;
      const value = parseRupiah(text.replace(/^[+-]/, ''));
      const reason = (req.body.reason ?? '').trim();
      if (value === null) throw new DomainError('INVALID_AMOUNT');
      if (!reason) throw new DomainError('INVALID_INPUT', { command: 'addsaldo' });
      const { waId, balance, newNumber } = await adjustBalance(deps, req.params.waId, sign * value, `dashboard: ${reason}`);
      return deps.texts.balanceAdjusted(waId, sign * value, balance, newNumber);
    }),
  );
  app.post<{ Params: { waId: string } }>('/admin/buyers/:waId/release', async (req, reply) =>
    p.act(reply, `/admin/buyers/${encodeURIComponent(req.params.waId)}`, async () => {
      const { waId, wasHeld } = await releaseHold(deps, req.params.waId);
      return deps.texts.released(waId, wasHeld);
    }),
  );
  app.post<{ Params: { waId: string }; Body: Form }>('/admin/buyers/:waId/role', async (req, reply) =>
    p.act(reply, `/admin/buyers/${encodeURIComponent(req.params.waId)}`, async () => `Role: ${await setRole(deps, req.params.waId, req.body.role ?? '')}.`),
  );
  for (const action of ['block', 'unblock'] as const) {
    app.post<{ Params: { waId: string } }>(`/admin/buyers/:waId/${action}`, async (req, reply) =>
      p.act(reply, `/admin/buyers/${encodeURIComponent(req.params.waId)}`, async () => {
        await setBlocked(deps, req.params.waId, action === 'block');
        return action === 'block' ? 'Diblokir.' : 'Blokir dibuka.';
      }),
    );
  }
}
