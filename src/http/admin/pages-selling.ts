import type { FastifyInstance } from 'fastify';
import { deliverByHand, setHandling } from '../../app/by-hand.js';
import type { Order } from '../../app/ports.js';
import { setWarranty } from '../../app/claims.js';
import { DomainError } from '../../domain/errors.js';
import type { AdminPage, Form } from './admin-page.js';
import { esc, form, rp } from './html.js';

const DAY = 86_400_000;

/** Selling more: the referral figures, the products buyers wait for, and a product's form, hand delivery and warranty. */
export function registerSellingPages(app: FastifyInstance, p: AdminPage): void {
  const { deps, t, when } = p;
  const s = t.selling;
  const buyer = (waId: string, name = '') => `<a href="/admin/buyers/${esc(waId)}">${esc(waId)}</a>${name ? ` ${esc(name)}` : ''}`;
  const table = (head: readonly string[], rows: string[], attr: string) =>
    `<table class="cards" ${attr}><tr class="head">${head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.join('')}</table>`;
  const cells = (head: readonly string[], values: string[]) => `<tr>${values.map((v, i) => `<td data-label="${head[i]}">${v}</td>`).join('')}</tr>`;

  app.get('/admin/selling', async (req, reply) => {
    const r = deps.store.autocommit;
    const [referrers, joined, commissions, waiting, notices] = await Promise.all([
      r.referrals.referrers(50),
      r.referrals.joined(20),
      r.referrals.recent(30),
      r.wishes.waiting(30),
      r.wishes.notices(new Date(deps.clock.now().getTime() - 30 * DAY)),
    ]);
    const referrerRows = referrers.map((x) =>
      cells(s.referrersHead, [buyer(x.waId, x.name), esc(x.code ?? '—'), String(x.referred), String(x.buying), rp(x.earned), x.owed > 0 ? rp(x.owed) : '—']),
    );
    const joinedRows = joined.map((x) => cells(s.joinedHead, [buyer(x.waId, x.name), buyer(x.referrer), when(x.at)]));
    const commissionRows = commissions.map((c) =>
      cells(s.commissionsHead, [
        `<a href="/admin/orders/${esc(c.publicId)}">${esc(c.publicId)}</a>`,
        buyer(c.referrer),
        buyer(c.buyer),
        `${rp(c.amount)} (${c.percent}%)`,
        c.takenBack === null ? s.paid : s.takenBack(c.takenBack, c.owed),
        when(c.createdAt),
      ]),
    );
    const waitingRows = waiting.map((w) => cells(s.waitingHead, [`<a href="/admin/stock?code=${encodeURIComponent(w.code)}">${esc(w.code)}</a> ${esc(w.name)}`, String(w.buyers)]));
    return p.render(
      req,
      reply,
      s.title,
      `<section data-referral><h2>${s.referral}</h2><p>${s.percent(deps.settings.referralPercent)}</p>
         <h2>${s.referrers}</h2>${referrerRows.length ? table(s.referrersHead, referrerRows, 'data-referrers') : `<p>${s.noReferrers}</p>`}
         ${joinedRows.length ? `<h2>${s.joined}</h2>${table(s.joinedHead, joinedRows, 'data-joined')}` : ''}
         <h2>${s.commissions}</h2>${commissionRows.length ? table(s.commissionsHead, commissionRows, 'data-commissions') : `<p>${s.noCommissions}</p>`}</section>
       <section data-restock><h2>${s.restock}</h2><p>${s.notices(notices.sent, notices.skipped, notices.queued)}</p>
         <h2>${s.waiting}</h2>${waitingRows.length ? table(s.waitingHead, waitingRows, 'data-waiting') : `<p>${s.noWaiting}</p>`}</section>`,
    );
  });

  // `.kirim ORDERID TEXT`: the paid manual order delivered with the admin's text.
  app.post<{ Params: { id: string }; Body: Form }>('/admin/orders/:id/deliver', async (req, reply) =>
    p.act(reply, `/admin/orders/${encodeURIComponent(req.params.id)}`, async () => t.handling.delivered((await deliverByHand(deps, req.params.id, req.body.text ?? '')).publicId)),
  );

  // `.setform`, `.setmanual` and `.setgaransi` in one form of the product's row (stock products only).
  app.post<{ Params: { code: string }; Body: Form }>('/admin/products/:code/handling', async (req, reply) =>
    p.act(reply, '/admin/products', async () => {
      const b = req.body;
      const shape = b.form ?? '';
      if (!['', 'email', 'text'].includes(shape)) throw new DomainError('INVALID_INPUT', { command: 'setform' });
      const days = (b.warranty ?? '0').trim() || '0';
      if (!/^\d{1,4}$/.test(days) || Number(days) > 3650) throw new DomainError('INVALID_INPUT', { command: 'setgaransi' });
      const code = req.params.code.toUpperCase();
      await setHandling(deps, code, { form: shape === '' ? null : (shape as 'email' | 'text'), manual: b.manual === '1' });
      await setWarranty(deps, code, Number(days));
      return t.handling.saved(code);
    }),
  );
}

/** The product row's form: the detail asked for, by hand, the warranty (a top-up has none of these). */
export function handlingForm(t: AdminPage['t'], csrf: string, x: { code: string; form?: 'email' | 'text' | null; manual?: boolean; warrantyDays?: number }): string {
  const h = t.handling;
  const option = (value: string, label: string) => `<option value="${value}"${(x.form ?? '') === value ? ' selected' : ''}>${label}</option>`;
  return form(
    `/admin/products/${encodeURIComponent(x.code)}/handling`,
    csrf,
    `<label>${h.form} <select name="form">${option('', h.formNone)}${option('email', h.formEmail)}${option('text', h.formText)}</select></label>
     <label><input type="checkbox" name="manual" value="1"${x.manual ? ' checked' : ''}> ${h.manual}</label>
     <label>${h.warranty} <input name="warranty" value="${x.warrantyDays ?? 0}" size="4" inputmode="numeric"></label><button>${t.common.save}</button>`,
  );
}

/** A manual order's page: the form that delivers it (while paid), or what was sent. */
export function byHandSection({ t }: AdminPage, order: Order, csrf: string): string {
  const h = t.handling;
  if (order.status === 'paid') {
    return `<section data-by-hand><h2>${h.deliverTitle}</h2><p>${h.deliverHint(order.detail ? esc(order.detail) : null)}</p>${form(
      `/admin/orders/${esc(order.publicId)}/deliver`,
      csrf,
      `<textarea name="text" required maxlength="4000" placeholder="${h.deliverPlaceholder}"></textarea><button>${h.deliver}</button>`,
    )}</section>`;
  }
  return order.handMessage ? `<section data-by-hand><h2>${h.deliveredTitle}</h2><pre>${esc(order.handMessage)}</pre></section>` : '';
}
