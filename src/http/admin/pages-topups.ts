import type { FastifyInstance } from 'fastify';
import { setSku, supplierStatus } from '../../app/supplier-account.js';
import type { AdminPage, Form } from './admin-page.js';
import { esc, form, pageNumber, paging, rp } from './html.js';
import { supplierOrderHead, supplierOrderRow } from './supplier-orders.js';

const PAGE = 50;

/** Top-ups: the supplier's deposit and price-list sync, the SKU of each top-up product, and the supplier orders. */
export function registerTopupPages(app: FastifyInstance, p: AdminPage): void {
  const { deps, t, when } = p;
  const tu = t.topups;
  app.get('/admin/topups', async (req, reply) => {
    const csrf = p.csrf(req);
    // Two lists that can grow: the top-up products (`page`) and the supplier orders (`orders`), 50 at a time each.
    const q = req.query as Form;
    const [pageNo, ordersNo] = [pageNumber(q.page), pageNumber(q.orders)];
    const [status, orders, { products, total }] = await Promise.all([
      supplierStatus(deps).catch(() => []),
      deps.store.autocommit.supplier.recent(PAGE + 1, (ordersNo - 1) * PAGE),
      deps.store.autocommit.products.topups((pageNo - 1) * PAGE, PAGE),
    ]);
    const link = (params: Record<string, number>) => `/admin/topups?${new URLSearchParams(Object.entries({ page: pageNo, orders: ordersNo, ...params }).map(([k, v]) => [k, String(v)])).toString().replace(/&/g, '&#38;')}`;
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const productPager = paging(t, t.common.page(pageNo, pages), pageNo > 1 ? link({ page: pageNo - 1 }) : null, pageNo < pages ? link({ page: pageNo + 1 }) : null);
    const orderPager = paging(t, t.common.page(ordersNo), ordersNo > 1 ? link({ orders: ordersNo - 1 }) : null, orders.length > PAGE ? link({ orders: ordersNo + 1 }) : null);
    // One row of cards per supplier: its deposit, what waits for it, its price list.
    const supplierCards = (s: (typeof status)[number]) => {
      const deposit = s.live ?? s.balance ?? null;
      return `<div class="cards" data-supplier="${esc(s.name)}"><div class="card">${tu.deposit(esc(s.name))}<b data-supplier-balance>${deposit === null ? '—' : rp(deposit)}</b>${deposit !== null && deposit < deps.settings.supplierLowBalance ? `<small>${tu.belowLimit}</small>` : ''}</div>
         <div class="card">${tu.waiting}<b>${s.open}</b></div><div class="card">${tu.priceList}<b>${tu.skus(s.skus)}</b><small>${tu.synced(when(s.syncedAt))}${s.syncError ? ` · ${esc(s.syncError)}` : ''}</small></div></div>`;
    };
    const head = status.length ? status.map(supplierCards).join('') : `<section class="alert"><p>${tu.notConfigured}</p></section>`;
    const state = (x: (typeof products)[number]) =>
      x.offer
        ? `${x.offer.active ? `${tu.available}${x.offer.cutOffStart !== x.offer.cutOffEnd ? ` · ${tu.cutOff(esc(x.offer.cutOffStart), esc(x.offer.cutOffEnd))}` : ''}` : tu.unavailable}${x.offer.cost > x.price ? ` ${tu.costAbove}` : ''}${x.offer.multi ? '' : ` · ${tu.once}`}${x.offer.pln ? ` · ${tu.meter}` : ''}${x.offer.postpaid ? ` · ${tu.bill}` : ''}`
        : tu.notSynced;
    const skuRows = products
      .map(
        (x) => `<tr><td><b>${esc(x.code)}</b><br>${esc(x.name)}</td><td>${esc(x.supplierSku)} <small>${esc(deps.suppliers.forSku(x.supplierSku ?? '')?.name ?? '—')}</small>${x.backup ? `<br><small>↳ ${esc(x.backup.sku)} (${esc(deps.suppliers.forSku(x.backup.sku)?.name ?? '—')})</small>` : ''}</td><td class="num">${x.offer ? rp(x.offer.cost) : '—'}</td><td class="num">${rp(x.price)}</td><td>${state(x)}</td></tr>`,
      )
      .join('');
    return p.render(
      req,
      reply,
      tu.title,
      `${head}
       <section><h2>${tu.make}</h2>${form('/admin/topups/sku', csrf, `<input name="code" placeholder="${t.stock.product}" aria-label="${t.stock.product}" required size="14"><input name="sku" placeholder="${tu.sku}" required aria-label="SKU"><button>${t.common.save}</button>`)}</section>
       <section class="scroll"><h2>${tu.products}</h2>${products.length ? `<table><tr>${tu.productHead.map((h, i) => `<th${i === 2 || i === 3 ? ' class="num"' : ''}>${h}</th>`).join('')}</tr>${skuRows}</table>${productPager}` : `<p>${tu.none}</p>`}</section>
       <section class="scroll"><h2>${tu.orders}</h2>${orders.length ? `<table>${supplierOrderHead(t)}${orders.slice(0, PAGE).map((so) => supplierOrderRow(p, so)).join('')}</table>${orderPager}` : '<p>—</p>'}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/topups/sku', async (req, reply) =>
    p.act(reply, '/admin/topups', async () => deps.texts.skuSet(await setSku(deps, (req.body.code ?? '').trim(), (req.body.sku ?? '').trim()))),
  );
}
