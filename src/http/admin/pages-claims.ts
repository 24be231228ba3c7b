import type { FastifyInstance } from 'fastify';
import { rejectClaim, replaceItem } from '../../app/claims.js';
import type { AdminPage, Form } from './admin-page.js';
import { esc, form } from './html.js';

/** Warranty claims waiting for an answer: replace with the next item, reject with a reason, or refund (the order page). */
export function registerClaimPages(app: FastifyInstance, p: AdminPage): void {
  const { deps, t, when } = p;
  const c = t.claims;
  app.get('/admin/claims', async (req, reply) => {
    const csrf = p.csrf(req);
    const open = await deps.store.autocommit.claims.listOpen(100);
    const rows = open
      .map((x) => {
        const at = `/admin/claims/${esc(x.publicId)}`;
        return `<tr><td><a href="/admin/orders/${esc(x.publicId)}">${esc(x.publicId)}</a></td><td><a href="/admin/buyers/${esc(x.waId)}">${esc(x.waId)}</a></td>
          <td>${esc(x.productCode ?? '')}</td><td>${esc(x.reason)}</td><td>${when(x.createdAt)}</td>
          <td>${form(`${at}/replace`, csrf, `<button>${c.replace}</button>`)}${form(`${at}/reject`, csrf, `<input name="reason" required maxlength="500" placeholder="${c.why}"><button class="danger">${c.reject}</button>`)}<small>${c.refund}</small></td></tr>`;
      })
      .join('');
    return p.render(
      req,
      reply,
      c.title,
      `<section class="scroll"><h1>${c.title}</h1>${open.length ? `<table data-claims><tr>${c.head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows}</table>` : `<p>${c.none}</p>`}</section>`,
    );
  });
  app.post<{ Params: { id: string } }>('/admin/claims/:id/replace', async (req, reply) =>
    p.act(reply, '/admin/claims', async () => deps.texts.claimAnswered((await replaceItem(deps, 'dashboard', req.params.id)).publicId, 'replaced')),
  );
  app.post<{ Params: { id: string }; Body: Form }>('/admin/claims/:id/reject', async (req, reply) =>
    p.act(reply, '/admin/claims', async () => deps.texts.claimAnswered((await rejectClaim(deps, 'dashboard', req.params.id, req.body.reason ?? '')).publicId, 'rejected')),
  );
}
