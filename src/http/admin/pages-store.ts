import type { FastifyInstance } from 'fastify';
import { addProduct, addStock, reactivateProduct, removeStock, setRolePrice, updateProduct } from '../../app/admin.js';
import { needsAttention, periodStart, salesRecap, type Attention } from '../../app/reports.js';
import { lastDays, ordersChart, revenueChart, topProductsChart } from './chart.js';
import { parseRupiah } from '../../domain/money.js';
import { DomainError } from '../../domain/errors.js';
import type { AdminPage, Form } from './admin-page.js';
import { esc, form, pageNumber, paging, rp } from './html.js';
import { handlingForm } from './pages-selling.js';

const PRODUCTS_PAGE = 50;

const price = (text: string | undefined) => {
  const v = parseRupiah(text ?? '');
  if (v === null) throw new DomainError('INVALID_AMOUNT');
  return v;
};

/** Overview, products and stock. */
export function registerStorePages(app: FastifyInstance, p: AdminPage): void {
  const { deps, t, when } = p;

  app.get('/admin', async (req, reply) => {
    const now = deps.clock.now();
    const [today, month, daily, newBuyers, ops, attention] = await Promise.all([
      salesRecap(deps, 'today'),
      salesRecap(deps, '30d'),
      deps.store.autocommit.reports.dailyRevenue(30),
      deps.store.autocommit.reports.newBuyersSince(periodStart('today', now)),
      deps.ops?.report() ?? null,
      needsAttention(deps, deps.settings.lowStockThreshold),
    ]);
    const h = t.home;
    const paused = ops?.sendingPaused
      ? `<section class="alert" data-sending-paused><h2>${h.paused}</h2><p>${h.pausedSince(when(ops.sendingPaused.since), esc(ops.sendingPaused.reason))}</p><p>${h.pausedWhy}</p></section>`
      : '';
    const supplier = ops?.supplier
      ? `<section${ops.supplier.low ? ' class="alert"' : ''} data-supplier><h2>${h.supplier}</h2><p>${h.deposit(ops.supplier.balance, ops.supplier.low, ops.supplier.pendingTopups)}</p></section>`
      : '';
    // The business on the overview; the system's figures (uptime, latencies, memory) on their own page.
    const alerts = `${paused}${supplier}`;
    const days = lastDays(daily, now);
    return p.render(
      req,
      reply,
      t.nav['/admin'],
      `<div class="cards">
        <div class="card">${h.revenueToday}<b>${rp(today.revenue)}</b></div>
        <div class="card">${h.ordersToday}<b>${today.orders}</b></div>
        <div class="card">${h.newBuyers}<b>${newBuyers}</b></div>
        <div class="card">${h.revenue30}<b>${rp(month.revenue)}</b></div>
        ${month.costedRevenue > 0 ? `<div class="card" data-profit>${h.profit30}<b>${rp(month.profit)}</b><small>${h.profitOf(month.costedRevenue)}</small></div>` : ''}</div>
      ${alerts}
      ${attentionSection(p, attention)}
      <section>${revenueChart(t, days)}</section>
      <section>${ordersChart(t, days)}</section>
      <section><h2>${h.top}</h2>${topProductsChart(t, month.top)}</section>
      <p><small><a href="/admin/system">${h.systemLink}</a></small></p>`,
    );
  });

  app.get('/admin/system', async (req, reply) => {
    const ops = (await deps.ops?.report()) ?? null;
    const h = t.home;
    const live = ops
      ? `<section><h2>${h.system}</h2><p data-live>${h.live({
          minutes: Math.round(ops.uptimeSeconds / 60),
          messages: ops.messages,
          p95: String(ops.p95ms ?? '—'),
          hit: ops.cacheHitRatio === null ? '—' : `${Math.round(ops.cacheHitRatio * 100)}%`,
          limited: ops.rateLimited,
          db: ops.dbMs === null ? h.down : `${ops.dbMs} ms`,
          redis: typeof ops.redis === 'number' ? `${ops.redis} ms` : esc(ops.redis),
          backlog: String(ops.outboxBacklog ?? '—'),
        })}</p>
         <p data-memory>${h.memory(ops.rssMb, ops.heapMb)}</p><p><small>${h.metrics}</small></p></section>`
      : '';
    return p.render(req, reply, t.nav['/admin/system'], live || `<section><p>—</p></section>`);
  });

  app.get('/admin/products', async (req, reply) => {
    const csrf = p.csrf(req);
    const q = req.query as Form;
    const find = (q.q ?? '').trim().slice(0, 60);
    // A page of 50 in catalogue order (an index range, however many products), with the counts of those 50 only.
    const pageNo = pageNumber(q.page);
    const { products, total } = await deps.store.autocommit.products.page(undefined, (pageNo - 1) * PRODUCTS_PAGE, PRODUCTS_PAGE, find || undefined);
    const [counts, inactive] = await Promise.all([
      products.length ? deps.store.autocommit.reports.stockCounts(products.map((x) => x.code)) : [],
      deps.store.autocommit.products.listInactive(100),
    ]);
    const pages = Math.max(1, Math.ceil(total / PRODUCTS_PAGE));
    const link = (n: number) => esc(`/admin/products?${new URLSearchParams({ ...(find ? { q: find } : {}), page: String(n) }).toString()}`);
    const pager = paging(t, t.common.page(pageNo, pages), pageNo > 1 ? link(pageNo - 1) : null, pageNo < pages ? link(pageNo + 1) : null, ` (${t.products.count(total)})`);
    const stockOf = new Map(counts.map((c) => [c.code, c]));
    const pr = t.products;
    const facts = (x: (typeof products)[number]) => {
      const st = stockOf.get(x.code);
      const roles = Object.entries(x.prices).map(([role, price]) => `${esc(role)} ${rp(price)}`);
      return [
        pr.inCategory(x.category ? esc(x.category) : null),
        x.supplierSku
          ? pr.topup(esc(x.supplierSku), x.offer ? x.offer.cost : null)
          : `${pr.stock(st?.available ?? 0, st?.reserved ?? 0, st?.sold ?? 0)} · <a href="/admin/stock?code=${encodeURIComponent(x.code)}">${pr.addStock}</a>`,
        ...(roles.length ? [pr.rolePrices(roles.join(', '))] : []),
        ...(x.supplierSku ? [] : [t.handling.facts(x.form ?? null, x.byHand === true, x.warrantyDays ?? 0)].filter(Boolean)),
      ].join(' · ');
    };
    const rows = products
      .map((x) => {
        const at = `/admin/products/${encodeURIComponent(x.code)}`;
        return `<tr data-product="${esc(x.code)}"><td><b>${esc(x.code)}</b> · ${esc(x.name)} · ${rp(x.price)}<br><small>${facts(x)}</small></td><td><details><summary>${pr.edit}</summary>${form(at, csrf, `<input name="name" value="${esc(x.name)}" aria-label="${pr.name}"><input name="price" value="${x.price}" size="8" aria-label="${pr.price}"><input name="description" value="${esc(x.description)}" aria-label="${pr.description}"><button>${t.common.save}</button>`)}
          ${form(`${at}/role-price`, csrf, `<input name="role" placeholder="${pr.role}" size="12" aria-label="role"><input name="price" placeholder="${pr.rolePrice}" size="8" aria-label="${pr.rolePrice}"><button>${pr.rolePrice}</button>`)}
          ${x.supplierSku ? '' : `<details data-handling><summary>${t.handling.summary}</summary>${handlingForm(t, csrf, x)}</details>`}
          ${form(`${at}/deactivate`, csrf, `<button class="danger" data-confirm="${esc(pr.confirmDeactivate(x.code))}">${pr.deactivate}</button>`)}</details></td></tr>`;
      })
      .join('');
    const empty = find ? pr.noMatch(esc(find)) : pr.none;
    return p.render(
      req,
      reply,
      pr.title,
      `<section><h2>${pr.new}</h2>${form('/admin/products', csrf, `<input name="code" placeholder="${pr.code}" required size="10"><input name="name" placeholder="${pr.name}" required><input name="price" placeholder="${pr.price}" required size="8"><input name="description" placeholder="${pr.description}"><input name="category" placeholder="${pr.category}" aria-label="${pr.category}" size="14"><button>${t.common.add}</button>`)}</section>
       <section class="scroll"><h2>${pr.active}</h2><form method="get" class="row"><input name="q" value="${esc(find)}" placeholder="${pr.find}" aria-label="${pr.find}"><button>${t.common.search}</button></form>
       ${products.length ? `<table class="stack">${rows}</table>${pager}` : `<p>${empty}</p>`}</section>
       <section class="scroll" id="inactive"><h2>${pr.inactive}</h2>${
         inactive.length
           ? `<table class="stack">${inactive.map((x) => `<tr data-inactive="${esc(x.code)}"><td><b>${esc(x.code)}</b> ${esc(x.name)}</td><td>${form(`/admin/products/${encodeURIComponent(x.code)}/reactivate`, csrf, `<button>${pr.reactivate}</button>`)}</td></tr>`).join('')}</table>`
           : `<p>${pr.inactiveNone}</p>`
       }</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/products', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      const b = req.body;
      const made = await addProduct(deps, { code: b.code ?? '', name: b.name ?? '', price: price(b.price), description: b.description ?? '', category: b.category ?? '' });
      return t.products.added(made.code);
    }),
  );
  app.post<{ Params: { code: string }; Body: Form }>('/admin/products/:code', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      const b = req.body;
      await updateProduct(deps, req.params.code, { name: b.name?.trim() || undefined, price: price(b.price), description: b.description ?? '' });
      return t.products.saved(req.params.code);
    }),
  );
  // `.setharga CODE PRICE ROLE`: what buyers of that role pay.
  app.post<{ Params: { code: string }; Body: Form }>('/admin/products/:code/role-price', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      await setRolePrice(deps, req.params.code, req.body.role ?? '', price(req.body.price));
      return t.products.rolePriceSaved(req.params.code, (req.body.role ?? '').trim().toLowerCase());
    }),
  );
  app.post<{ Params: { code: string } }>('/admin/products/:code/reactivate', async (req, reply) =>
    p.act(reply, '/admin/products', async () => t.products.reactivated((await reactivateProduct(deps, req.params.code)).code)),
  );
  app.post<{ Params: { code: string } }>('/admin/products/:code/deactivate', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      await updateProduct(deps, req.params.code, { active: false });
      return t.products.deactivated(req.params.code);
    }),
  );

  app.get('/admin/stock', async (req, reply) => {
    const csrf = p.csrf(req);
    const q = req.query as Form;
    // The counts of one page of 50 products (counting every item of 10,000 products would read them all).
    const pageNo = pageNumber(q.page);
    const { products, total } = await deps.store.autocommit.products.page(undefined, (pageNo - 1) * PRODUCTS_PAGE, PRODUCTS_PAGE);
    const counts = products.length ? (await deps.store.autocommit.reports.stockCounts(products.map((x) => x.code))).filter((c) => c.active && !c.topup) : [];
    const pages = Math.max(1, Math.ceil(total / PRODUCTS_PAGE));
    const pager = paging(t, t.common.page(pageNo, pages), pageNo > 1 ? `/admin/stock?page=${pageNo - 1}` : null, pageNo < pages ? `/admin/stock?page=${pageNo + 1}` : null);
    const st = t.stock;
    const rows = counts
      .map(
        (s) => `<tr id="${esc(s.code)}"><td><b><a href="/admin/stock?code=${encodeURIComponent(s.code)}">${esc(s.code)}</a></b><br>${esc(s.name)}</td><td class="num" data-available="${esc(s.code)}">${s.available}</td><td class="num">${s.reserved}</td><td class="num">${s.sold}</td>
          <td>${form(`/admin/stock/${encodeURIComponent(s.code)}/remove`, csrf, `<input name="count" size="4" placeholder="N" aria-label="${st.count}"><button class="danger">${st.remove}</button>`)}</td></tr>`,
      )
      .join('');
    // The product is typed (or chosen from this page's products), not picked from a list of every product.
    const options = counts.map((s) => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join('');
    const code = (q.code ?? '').trim().toUpperCase().slice(0, 40);
    return p.render(
      req,
      reply,
      st.title,
      `<section><h2>${st.add}</h2>${form(
        '/admin/stock',
        csrf,
        `<input name="code" list="stock-products" value="${esc(code)}" placeholder="${st.product}" aria-label="${st.product}" required size="14" autocomplete="off"><datalist id="stock-products">${options}</datalist>
         <input type="file" accept=".txt,.csv,text/plain,text/csv" aria-label="${st.file}" data-fill="items">
         <textarea name="items" placeholder="${st.items}"></textarea><button>${t.common.add}</button>`,
      )}</section>
       <section class="scroll"><h2>${st.counts}</h2><table><tr><th>${st.head[0]}</th><th class="num">${st.head[1]}</th><th class="num">${st.head[2]}</th><th class="num">${st.head[3]}</th><th></th></tr>${rows}</table>${pager}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/stock', async (req, reply) =>
    p.act(reply, '/admin/stock', async () => {
      const code = (req.body.code ?? '').trim().toUpperCase();
      const { added, skipped, available } = await addStock(deps, code, (req.body.items ?? '').split(/\r?\n/));
      return deps.texts.stockAdded(code, added, available, skipped);
    }),
  );
  app.post<{ Params: { code: string }; Body: Form }>('/admin/stock/:code/remove', async (req, reply) =>
    p.act(reply, '/admin/stock', async () => {
      const n = req.body.count?.trim() ? Number(req.body.count) : null;
      if (n !== null && (!Number.isInteger(n) || n < 1)) throw new DomainError('INVALID_QTY', { max: 100_000 });
      return t.stock.removed(await removeStock(deps, req.params.code, n), req.params.code);
    }),
  );
}

/** What waits for the seller: held payments, reversals, stuck top-ups, undelivered messages, low stock. */
function attentionSection({ t, when }: AdminPage, a: Attention): string {
  const h = t.home;
  const order = (id: string) => `<a href="/admin/orders/${esc(id)}">${esc(id)}</a>`;
  const items = [
    ...a.review.map((o) => h.review(order(o.publicId), o.total, when(o.reviewSince))),
    ...a.reversed.map((o) => h.reversed(order(o.publicId), o.owed, `<a href="/admin/buyers/${esc(o.waId)}">${esc(o.waId)}</a>`)),
    ...a.stuckTopups.map((so) => h.stuck(order(so.refId), esc(so.sku), esc(so.customerNo), when(so.createdAt))),
    ...a.deadLetters.map((d) => `${h.dead(esc(d.recipient), when(d.at), esc(d.error))}<br><small>${esc(d.body.slice(0, 160))}</small>`),
    ...a.byHand.map((o) => h.byHand(order(o.publicId), esc(o.productCode ?? ''), o.detail ? esc(o.detail) : null, when(o.createdAt))),
    ...a.claims.map((c) => h.claim(`<a href="/admin/claims">${esc(c.publicId)}</a>`, esc(c.productCode ?? ''), when(c.createdAt))),
    ...a.lowStock.map((st) => h.low(`<a href="/admin/stock?code=${encodeURIComponent(st.code)}">${esc(st.code)}</a>`, st.available)),
  ].map((item) => `<li>${item}</li>`);
  return items.length
    ? `<section class="alert" data-attention><h2>${h.attention} (${items.length})</h2><ul class="attention">${items.join('')}</ul></section>`
    : `<section data-attention><h2>${h.attention}</h2><p>${h.nothingWaits}</p></section>`;
}
