import type { FastifyInstance } from 'fastify';
import { setCategory } from '../../app/admin.js';
import { broadcast, broadcastAudience, salesBetween, salesRecap } from '../../app/reports.js';
import { addVoucher, deleteVoucher, voucherPage } from '../../app/vouchers.js';
import type { SalesReport } from '../../app/ports.js';
import { DomainError } from '../../domain/errors.js';
import { parseRupiah } from '../../domain/money.js';
import { parseDiscount } from '../../domain/pricing.js';
import { whatsappHtml } from '../../domain/whatsapp-format.js';
import type { AdminPage, Form } from './admin-page.js';
import type { DashTexts } from '../../i18n/dashboard.js';
import { esc, form, pageNumber, paging, rp } from './html.js';

const PAGE = 50;

/** An optional whole number from a form field; `command` names the usage a bad one gets. */
const optionalCount = (text: string | undefined, command: string): number | null => {
  const t = (text ?? '').trim();
  if (t === '') return null;
  if (!/^\d{1,6}$/.test(t) || Number(t) < 1) throw new DomainError('INVALID_INPUT', { command });
  return Number(t);
};

const recapTable = ({ reports: r, common, home }: DashTexts, title: string, sales: SalesReport) =>
  `<section data-recap><h2>${esc(title)}</h2><div class="cards"><div class="card">${r.sold}<b>${sales.orders}</b></div><div class="card">${r.revenue}<b>${rp(sales.revenue)}</b></div>${sales.costedRevenue > 0 ? `<div class="card" data-profit>${r.profit}<b>${rp(sales.profit)}</b><small>${home.profitOf(sales.costedRevenue)}</small></div>` : ''}</div>
   ${sales.top.length ? `<table><tr><th>${r.head[0]}</th><th class="num">${r.head[1]}</th><th class="num">${r.head[2]}</th><th class="num">${r.head[3]}</th></tr>${sales.top.map((x) => `<tr><td>${esc(x.code)} · ${esc(x.name)}</td><td class="num">${x.qty}</td><td class="num">${rp(x.revenue)}</td><td class="num" data-profit-of="${esc(x.code)}">${x.profit === null ? '—' : rp(x.profit)}</td></tr>`).join('')}</table>` : `<p>${common.noSales}</p>`}</section>`;

/** The product-code field of a form: typed, with this store's first products offered (never a list of 10,000). */
async function productField(p: AdminPage, label: string): Promise<string> {
  const { products } = await p.deps.store.autocommit.products.page(undefined, 0, 100);
  const options = products.map((x) => `<option value="${esc(x.code)}">${esc(x.name)}${x.category ? ` (${esc(x.category)})` : ''}</option>`).join('');
  return `<input name="code" list="product-codes" placeholder="${label}" aria-label="${label}" required size="14" autocomplete="off"><datalist id="product-codes">${options}</datalist>`;
}

/** Categories, vouchers, broadcast and the sales recap: what the chat's admin commands do, as pages. */
export function registerManagePages(app: FastifyInstance, p: AdminPage): void {
  const { deps, t, when } = p;

  app.get('/admin/categories', async (req, reply) => {
    const csrf = p.csrf(req);
    const c = t.categories;
    const [categories, field] = await Promise.all([deps.store.autocommit.products.categories(), productField(p, t.stock.product)]);
    return p.render(
      req,
      reply,
      c.title,
      `<section><h2>${c.move}</h2>${form('/admin/categories', csrf, `${field}<input name="category" placeholder="${c.category}" required aria-label="${c.category}"><button>${t.common.save}</button>`)}
       <p><small>${c.hint}</small></p></section>
       <section><h2>${c.list}</h2>${categories.length ? `<table data-categories>${categories.map((x) => `<tr><td>${x.name === null ? `<i>${c.other}</i>` : esc(x.name)}</td><td class="num">${t.products.count(x.products)}</td></tr>`).join('')}</table>` : `<p>${c.none}</p>`}</section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/categories', async (req, reply) =>
    p.act(reply, '/admin/categories', async () => {
      const product = await setCategory(deps, (req.body.code ?? '').trim(), req.body.category ?? '');
      return t.categories.moved(product.code, product.category);
    }),
  );

  app.get('/admin/vouchers', async (req, reply) => {
    const csrf = p.csrf(req);
    const v = t.vouchers;
    const pageNo = pageNumber((req.query as Form).page);
    const { vouchers, total } = await voucherPage(deps, (pageNo - 1) * PAGE, PAGE);
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const pager = paging(t, t.common.page(pageNo, pages), pageNo > 1 ? `/admin/vouchers?page=${pageNo - 1}` : null, pageNo < pages ? `/admin/vouchers?page=${pageNo + 1}` : null);
    const rows = vouchers
      .map(
        (x) => `<tr data-voucher="${esc(x.code)}"><td><b>${esc(x.code)}</b></td><td>${'percent' in x.discount ? `${x.discount.percent}%` : rp(x.discount.amount)}</td>
          <td class="num">${x.maxUses === null ? v.used(x.uses) : v.left(x.maxUses - x.uses, x.maxUses)}</td><td>${x.expiresAt ? when(x.expiresAt) : v.forever}</td>
          <td>${x.active ? form(`/admin/vouchers/${encodeURIComponent(x.code)}/stop`, csrf, `<button class="danger">${v.stop}</button>`) : v.stopped}</td></tr>`,
      )
      .join('');
    return p.render(
      req,
      reply,
      v.title,
      `<section><h2>${v.new}</h2>${form(
        '/admin/vouchers',
        csrf,
        `<input name="code" placeholder="${v.code}" required size="10" aria-label="${v.code}"><input name="discount" placeholder="${v.discount}" required size="10" aria-label="${v.head[1]}"><input name="maxUses" placeholder="${v.maxUses}" size="8" aria-label="${v.maxUses}"><input name="days" placeholder="${v.days}" size="8" aria-label="${v.days}"><button>${v.create}</button>`,
      )}<p><small>${v.hint}</small></p></section>
       <section class="scroll"><h2>${v.list}</h2>${vouchers.length ? `<table><tr><th>${v.head[0]}</th><th>${v.head[1]}</th><th class="num">${v.head[2]}</th><th>${v.head[3]}</th><th></th></tr>${rows}</table>${pager}` : `<p>${v.none}</p>`}</section>`,
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
    const b = t.broadcast;
    const draft = ((req.query as Form).text ?? '').slice(0, 4000);
    const reach = await broadcastAudience(deps);
    return p.render(
      req,
      reply,
      b.title,
      `<section><h2>${b.write}</h2><form method="get" action="/admin/broadcast"><textarea name="text" placeholder="${b.placeholder}" aria-label="${b.placeholder}">${esc(draft)}</textarea><button>${b.preview}</button></form>
       <p data-reach>${b.reach(reach)}</p></section>
       ${
         draft.trim()
           ? `<section data-preview><h2>${b.preview}</h2><div class="wa">${whatsappHtml(draft)}</div>${form('/admin/broadcast', csrf, `<input type="hidden" name="text" value="${esc(draft)}"><button>${b.send(reach)}</button>`)}</section>`
           : ''
       }`,
    );
  });
  app.post<{ Body: Form }>('/admin/broadcast', async (req, reply) =>
    p.act(reply, '/admin/broadcast', async () => deps.texts.broadcastQueued(await broadcast(deps, req.body.text ?? ''))),
  );

  app.get('/admin/reports', async (req, reply) => {
    const q = req.query as Form;
    const r = t.reports;
    const [today, week, month] = await Promise.all([salesRecap(deps, 'today'), salesRecap(deps, '7d'), salesRecap(deps, '30d')]);
    let range = '';
    if (q.from || q.to) {
      range = await salesBetween(deps, q.from ?? '', q.to ?? '').then(
        (sales) => recapTable(t, r.between(q.from ?? '', q.to ?? ''), sales),
        (err: unknown) => {
          if (!(err instanceof DomainError)) throw err;
          void reply.code(400);
          return `<p class="err">${r.invalid}</p>`;
        },
      );
    }
    return p.render(
      req,
      reply,
      r.title,
      `${recapTable(t, r.today, today)}${recapTable(t, r.week, week)}${recapTable(t, r.month, month)}
       <section><h2>${r.range}</h2><form method="get" class="row"><input type="date" name="from" value="${esc(q.from)}" aria-label="${r.from}"><input type="date" name="to" value="${esc(q.to)}" aria-label="${r.to}"><button>${r.show}</button></form>${range}</section>`,
    );
  });
}
