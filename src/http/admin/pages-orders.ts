import { backupRef } from '../../domain/topup.js';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ledgerCsv, ordersCsv } from '../../app/exports.js';
import { recheckPayments } from '../../app/reconcile.js';
import type { OrderFilter } from '../../app/ports.js';
import { adjustBalance, refundToBalance, releaseHold, resendOrder, setBlocked, setRole } from '../../app/admin.js';
import { ORDER_STATUSES } from '../../domain/order.js';
import { parseRupiah } from '../../domain/money.js';
import { parseWibDay } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import type { AdminPage, Form } from './admin-page.js';
import { supplierOrderHead, supplierOrderRow } from './supplier-orders.js';
import { byHandSection } from './pages-selling.js';
import { esc, form, pageNumber, paging, rp } from './html.js';

/** A date field that is not a real day: the list and its export answer 400, never a 500 or an empty file. */
class BadDate extends Error {
  constructor(readonly value: string) {
    super('bad date');
  }
}
const dateOrUndefined = (s: string | undefined) => {
  if (!s) return undefined;
  const day = parseWibDay(s);
  if (!day) throw new BadDate(s.slice(0, 40));
  return day;
};

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
  const { deps, t, when } = p;
  const statusText = (s: string) => esc(t.status[s] ?? s);
  /** A status in its colour (green done, amber waiting, grey closed, red money back). */
  const status = (s: string) => `<span class="st st-${esc(s)}">${statusText(s)}</span>`;

  const badDate = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof BadDate)) throw err;
    return p.render(req, reply.code(400), t.orders.title, `<section><p class="err">${t.orders.badDate(esc(err.value))}</p><p><a href="/admin/orders">${t.orders.title}</a></p></section>`);
  };

  app.get('/admin/orders', async (req, reply) => {
    const q = req.query as Form;
    let filter: OrderFilter;
    try {
      filter = filterOf(q);
    } catch (err) {
      return badDate(req, reply, err);
    }
    const orders = await deps.store.autocommit.reports.orders({ ...filter, ...(q.before && /^\d{1,18}$/.test(q.before) ? { beforeId: q.before } : {}) }, PAGE);
    const query = (extra: Record<string, string>) =>
      new URLSearchParams(Object.entries({ status: q.status ?? '', buyer: q.buyer ?? '', from: q.from ?? '', to: q.to ?? '', q: q.q ?? '', ...extra }).filter(([, v]) => v)).toString();
    const o = t.orders;
    const next = orders.length === PAGE ? `<p><a data-next href="/admin/orders?${esc(query({ before: orders.at(-1)!.orderId }))}">${o.older}</a></p>` : '';
    // Payments the bank took back after settlement stay on top until the seller has seen them all (status filter: reversed).
    const reversed = q.status ? [] : await deps.store.autocommit.orders.reversed(10);
    const alert = reversed.length
      ? `<section class="alert" data-reversed><h2>${o.reversed}</h2><table>${reversed
          .map((r) => `<tr><td><a href="/admin/orders/${esc(r.publicId)}">${esc(r.publicId)}</a></td><td><a href="/admin/buyers/${esc(r.waId)}">${esc(r.waId)}</a></td><td class="num">${rp(r.total)}</td><td>${o.owed(r.owed)}</td></tr>`)
          .join('')}</table></section>`
      : '';
    const statuses = ['', ...ORDER_STATUSES].map((s) => `<option${s === q.status ? ' selected' : ''} value="${s}">${s ? statusText(s) : o.all}</option>`).join('');
    const rows = orders
      .map(
        (r) => `<tr><td><a href="/admin/orders/${esc(r.publicId)}">${esc(r.publicId)}</a></td><td>${when(r.createdAt)}</td><td>${esc(r.waId)}</td>
          <td>${r.kind === 'deposit' ? o.deposit : `${esc(r.productCode)} ×${r.qty}`}</td><td class="num">${rp(r.total)}</td><td data-status="${esc(r.status)}">${status(r.status)}</td></tr>`,
      )
      .join('');
    return p.render(
      req,
      reply,
      o.title,
      `${alert}<section><form method="get" class="row"><select name="status" aria-label="${o.head[5]}">${statuses}</select>
        <input name="q" placeholder="${o.find}" value="${esc(q.q)}" aria-label="${o.find}"><input name="buyer" placeholder="${o.buyer}" value="${esc(q.buyer)}" aria-label="${o.buyer}"><input type="date" name="from" value="${esc(q.from)}" aria-label="${o.from}"><input type="date" name="to" value="${esc(q.to)}" aria-label="${o.to}"><button>${o.filter}</button></form>
        ${form('/admin/orders/recheck', p.csrf(req), `<button>${o.recheckAll}</button>`)}
        <p class="row"><a data-export="orders" href="/admin/orders.csv?${esc(query({}))}">${o.csv}</a> · <a data-export="ledger" href="/admin/ledger.csv">${o.ledger}</a></p></section>
       <section class="scroll">${orders.length ? `<table class="stack"><tr>${o.head.map((h, i) => `<th${i === 4 ? ' class="num"' : ''}>${h}</th>`).join('')}</tr>${rows}</table>${next}` : `<p>${o.none}</p>`}</section>`,
    );
  });

  // The list as CSV, filtered as shown; and every balance movement.
  app.get('/admin/orders.csv', async (req, reply) => {
    const stamp = deps.clock.now().toISOString().slice(0, 10);
    let filter: OrderFilter;
    try {
      filter = filterOf(req.query as Form);
    } catch (err) {
      return badDate(req, reply, err);
    }
    return sendCsv(reply, `${t.orders.csvName}-${stamp}.csv`, ordersCsv(deps, filter, { head: t.orders.csvOrderHead, codes: { 4: t.orders.orderKind, 11: t.orders.method, 12: t.status } }));
  });
  app.get('/admin/ledger.csv', async (_req, reply) => sendCsv(reply, `${t.orders.ledgerName}-${deps.clock.now().toISOString().slice(0, 10)}.csv`, ledgerCsv(deps, { head: t.orders.csvLedgerHead, codes: { 4: t.orders.ledgerKind } })));

  app.get<{ Params: { id: string } }>('/admin/orders/:id', async (req, reply) => {
    const order = await deps.store.autocommit.orders.findByPublicId(req.params.id);
    if (!order) return p.render(req, reply.code(404), t.orders.title, `<section><p class="err">${t.order.notFound(esc(req.params.id))}</p><p><a href="/admin/orders">${t.orders.title}</a></p></section>`);
    const csrf = p.csrf(req);
    const [events, items, receipts, supplied] = await Promise.all([
      deps.store.autocommit.reports.paymentEvents(order.orderId),
      deps.store.autocommit.stock.itemsOf(order.orderId),
      deps.store.autocommit.reports.deliveryReceipts(order.orderId),
      // Both attempts, when the first supplier failed and the backup was tried.
      order.target !== null ? Promise.all([order.publicId, backupRef(order.publicId)].map((ref) => deps.store.autocommit.supplier.find(ref))).then((x) => x.filter((so) => so !== null)) : [],
    ]);
    const d = t.order;
    const receipt = (r: (typeof receipts)[number]) =>
      r.readAt ? d.read(when(r.readAt)) : r.deliveredAt ? d.arrived(when(r.deliveredAt)) : r.sentAt && r.status === 'sent' ? d.sent(when(r.sentAt)) : `${esc(r.status)}${r.lastError ? ` — ${esc(r.lastError)}` : ''}`;
    const at = `/admin/orders/${esc(order.publicId)}`;
    return p.render(
      req,
      reply,
      d.title(order.publicId),
      `<section><h1>${esc(order.publicId)}</h1><table>
        <tr><th>${d.buyer}</th><td><a href="/admin/buyers/${esc(order.waId)}">${esc(order.waId)}</a></td></tr>
        <tr><th>${d.content}</th><td>${order.kind === 'deposit' ? d.deposit : `${esc(order.productName)} (${esc(order.productCode)}) ×${order.qty} @ ${rp(order.unitPrice)}`}</td></tr>
        <tr><th>${d.total}</th><td>${rp(order.total)} · ${esc(t.orders.method[order.paymentMethod] ?? order.paymentMethod)}</td></tr><tr><th>${d.status}</th><td data-status="${esc(order.status)}">${status(order.status)}${order.reviewSince ? ` · ${d.review(when(order.reviewSince))}` : ''}${order.status === 'reversed' ? ` · ${t.orders.owed(order.owed)}` : ''}</td></tr>
        ${order.detail ? `<tr><th>${t.handling.detail}</th><td data-detail>${esc(order.detail)}</td></tr>` : ''}
        ${order.target !== null ? `<tr><th>${d.target}</th><td>${esc(order.targetShown ?? order.target)}</td></tr>` : ''}
        <tr><th>${d.created}</th><td>${when(order.createdAt)}</td></tr></table>
        <div class="row">${order.status === 'pending' && order.paymentMethod === 'gateway' ? form(`${at}/recheck`, csrf, `<button>${d.recheck}</button>`) : ''}
        ${order.status === 'delivered' ? form(`${at}/resend`, csrf, `<button>${d.resend}</button>`) : ''}
        ${order.status === 'delivered' || order.status === 'paid' ? form(`${at}/refund`, csrf, `<button class="danger">${d.refund}</button>`) : ''}</div></section>
       ${order.target !== null ? `<section class="scroll"><h2>${d.supplier}</h2>${supplied.length ? `<table>${supplierOrderHead(t)}${supplied.map((so) => supplierOrderRow(p, so)).join('')}</table>` : `<p>${d.notHanded}</p>`}</section>` : ''}
       ${order.byHand ? byHandSection(p, order, csrf) : ''}
       <section><h2>${d.items}</h2>${items.length ? items.map((i) => `<pre data-item>${esc(i.payload)}</pre>`).join('') : '<p>—</p>'}
         ${receipts.length ? `<p data-receipt>${d.message}: ${receipts.map(receipt).join(' · ')}</p>` : ''}</section>
       <section class="scroll"><h2>${d.events}</h2>${
         events.length
           ? `<table><tr>${d.eventHead.map((h) => `<th>${h}</th>`).join('')}</tr>${events.map((e) => `<tr><td>${when(e.receivedAt)}</td><td>${esc(e.transactionStatus)}</td><td>${esc(e.outcome ?? d.waiting)}</td><td>${esc(e.flag ?? '')}</td></tr>`).join('')}</table>`
           : '<p>—</p>'
       }</section>`,
    );
  });
  // `.cekbayar`: every order awaiting a Midtrans payment, asked now.
  app.post('/admin/orders/recheck', async (_req, reply) => p.act(reply, '/admin/orders', async () => deps.texts.recheck(await recheckPayments(deps))));
  // `.cekbayar ORDER`: ask Midtrans now and apply what it says.
  app.post<{ Params: { id: string } }>('/admin/orders/:id/recheck', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => deps.texts.recheck(await recheckPayments(deps, req.params.id))),
  );
  app.post<{ Params: { id: string } }>('/admin/orders/:id/resend', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => {
      await resendOrder(deps, req.params.id);
      return t.order.resent;
    }),
  );
  app.post<{ Params: { id: string } }>('/admin/orders/:id/refund', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => t.order.refunded(await refundToBalance(deps, req.params.id))),
  );

  app.get('/admin/buyers', async (req, reply) => {
    const q = (req.query as Form).q?.trim() ?? '';
    const pageNo = pageNumber((req.query as Form).page);
    const buyers = await deps.store.autocommit.reports.buyers(q, PAGE + 1, (pageNo - 1) * PAGE);
    const more = buyers.length > PAGE;
    const link = (n: number) => `/admin/buyers?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) }).toString()}`;
    const pager = paging(t, t.common.page(pageNo), pageNo > 1 ? esc(link(pageNo - 1)) : null, more ? esc(link(pageNo + 1)) : null);
    const b = t.buyers;
    const rows = buyers
      .slice(0, PAGE)
      .map((u) => `<tr><td><a href="/admin/buyers/${esc(u.waId)}">${esc(u.waId)}</a></td><td>${esc(u.name)}</td><td>${esc(u.role)}</td><td class="num">${rp(u.balance)}</td><td>${u.blocked ? b.blocked : ''}</td><td>${when(u.lastSeenAt)}</td></tr>`)
      .join('');
    return p.render(
      req,
      reply,
      b.title,
      `<section><form method="get" class="row"><input name="q" value="${esc(q)}" placeholder="${b.find}" aria-label="${b.find}"><button>${t.common.search}</button></form></section>
       <section class="scroll">${rows ? `<table class="stack"><tr>${b.head.map((h, i) => `<th${i === 3 ? ' class="num"' : ''}>${h}</th>`).join('')}</tr>${rows}</table>${pager}` : `<p>${b.none}</p>`}</section>`,
    );
  });

  app.get<{ Params: { waId: string } }>('/admin/buyers/:waId', async (req, reply) => {
    const { waId } = req.params;
    const user = await deps.store.autocommit.users.find(waId);
    if (!user) return p.render(req, reply.code(404), t.buyers.title, `<section><p class="err">${t.buyer.notFound(esc(waId))}</p><p><a href="/admin/buyers">${t.buyers.title}</a></p></section>`);
    const csrf = p.csrf(req);
    const [orders, referral] = await Promise.all([deps.store.autocommit.reports.orders({ waId }, 50), deps.store.autocommit.referrals.stats(user.userId)]);
    const base = `/admin/buyers/${esc(waId)}`;
    const u = t.buyer;
    return p.render(
      req,
      reply,
      u.title(waId),
      `<section><h1>${esc(waId)} ${esc(user.name)}</h1><p>${u.balance} <b data-balance>${rp(user.balance)}</b> · ${u.role} ${esc(user.role)} ${user.blocked ? `· <b>${u.blocked}</b>` : ''}${user.heldReason !== null ? ` · ${u.held(esc(user.heldReason))}` : ''}</p>
        ${user.refCode || user.referredBy || referral.referred ? `<p data-referral>${u.referral(esc(user.refCode ?? '—'), user.referredBy !== null, referral.referred, referral.commissions, referral.earned)}</p>` : ''}
        ${user.heldReason !== null ? form(`${base}/release`, csrf, `<button>${u.release}</button>`) : ''}
        ${form(`${base}/balance`, csrf, `<input name="amount" placeholder="${u.amount}" aria-label="${u.balance}" required><input name="reason" placeholder="${u.reason}" aria-label="${u.reason}" required><button>${u.change}</button>`)}
        ${form(`${base}/role`, csrf, `<input name="role" value="${esc(user.role)}" size="10" aria-label="role"><button>${u.saveRole}</button>`)}
        ${form(`${base}/${user.blocked ? 'unblock' : 'block'}`, csrf, `<button class="${user.blocked ? '' : 'danger'}">${user.blocked ? u.unblock : u.block}</button>`)}</section>
       <section class="scroll"><h2>${u.history}</h2><table>${orders.map((o) => `<tr><td><a href="/admin/orders/${esc(o.publicId)}">${esc(o.publicId)}</a></td><td>${when(o.createdAt)}</td><td class="num">${rp(o.total)}</td><td>${status(o.status)}</td></tr>`).join('')}</table>
         ${orders.length === 50 ? `<p><a data-all-orders href="/admin/orders?buyer=${encodeURIComponent(waId)}">${u.allOrders}</a></p>` : ''}</section>`,
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
    p.act(reply, `/admin/buyers/${encodeURIComponent(req.params.waId)}`, async () => t.buyer.roleSet(await setRole(deps, req.params.waId, req.body.role ?? ''))),
  );
  for (const action of ['block', 'unblock'] as const) {
    app.post<{ Params: { waId: string } }>(`/admin/buyers/:waId/${action}`, async (req, reply) =>
      p.act(reply, `/admin/buyers/${encodeURIComponent(req.params.waId)}`, async () => {
        await setBlocked(deps, req.params.waId, action === 'block');
        return action === 'block' ? t.buyer.blockedNow : t.buyer.unblockedNow;
      }),
    );
  }
}
