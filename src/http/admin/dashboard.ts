import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { isDomainError } from '../../domain/errors.js';
import { AdminAuth } from './auth.js';
import { esc, page, whenIn } from './html.js';
import { dashboardTexts } from '../../i18n/dashboard.js';
import type { Locale } from '../../app/ports.js';
import { registerOrderPages } from './pages-orders.js';
import { registerTopupPages } from './pages-topups.js';
import { registerClaimPages } from './pages-claims.js';
import { registerSellingPages } from './pages-selling.js';
import { registerManagePages } from './pages-manage.js';
import { registerStorePages } from './pages-store.js';
import { registerSettingsPage } from './pages-settings.js';
import type { LiveSettings } from '../../app/live-settings.js';
import type { BaileysTransport } from '../../adapters/whatsapp/baileys.js';
import { whatsappStatus } from '../admin-whatsapp.js';
import type { SecretGuard } from '../edge.js';
import { DASHBOARD_SCRIPT } from './script.js';
import type { AdminPage, Form } from './admin-page.js';

/** Dashboard routes that need no session, by route (never by the text of the URL). */
export const PUBLIC_DASHBOARD_ROUTES: ReadonlySet<string> = new Set(['/admin/login', '/admin/app.js']);

/**
 * `/admin`: the seller's dashboard, server-rendered, no external assets. Login
 * with ADMIN_TOKEN; every form carries a CSRF token; every action goes through
 * the same use cases as the chat commands.
 */
export interface DashboardOptions {
  /** ADMIN_TOKEN: without one, the dashboard says how to set it and nothing else. */
  adminToken: string | null;
  live: LiveSettings;
  whatsapp: { transport: string; baileys: BaileysTransport | null };
  guard: SecretGuard;
  locale: Locale;
}

export async function registerDashboard(app: FastifyInstance, deps: AppDeps, opts: DashboardOptions): Promise<void> {
  const { adminToken, live, whatsapp, guard, locale } = opts;
  const t = dashboardTexts(locale);
  await app.register(async (scope) => {
    await scope.register(cookie);
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    if (!adminToken) {
      scope.get('/admin', async (_req, reply) => reply.code(403).type('text/html').send(page(t, t.common.dashboard, `<section>${t.common.noToken}</section>`)));
      return;
    }
    const auth = new AdminAuth(adminToken, deps.store.autocommit.adminSessions, guard);
    const loginPage = (msg = '') =>
      page(t, t.login.title, `<section><h1>${t.login.heading}</h1>${msg ? `<p class="err">${esc(msg)}</p>` : ''}
        <form method="post" action="/admin/login" class="row"><input type="password" name="token" placeholder="ADMIN_TOKEN" autofocus required><button>${t.login.button}</button></form></section>`);

    scope.get('/admin/login', async (_req, reply) => reply.type('text/html').send(loginPage()));
    scope.post<{ Body: Form }>('/admin/login', async (req, reply) => {
      const verdict = auth.attempt(req.ip, req.body?.token);
      if (verdict === null) return reply.code(429).type('text/html').send(loginPage(t.login.tooMany));
      if (!verdict) return reply.code(401).type('text/html').send(loginPage(t.login.wrong));
      await auth.startSession(reply, req.protocol === 'https');
      return reply.redirect('/admin', 303);
    });
    scope.get('/admin/app.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(DASHBOARD_SCRIPT));

    // Every route of this scope needs a session, however its path was spelled (the hook
    // belongs to the routes, not to a URL prefix), and every POST its CSRF token.
    const sessions = new WeakMap<FastifyRequest, string>();
    scope.addHook('preHandler', async (req, reply) => {
      if (PUBLIC_DASHBOARD_ROUTES.has(req.routeOptions.url ?? '')) return;
      const session = await auth.session(req);
      if (!session) return req.method === 'GET' ? reply.redirect('/admin/login', 303) : reply.code(401).send({ error: 'login required' });
      if (req.method !== 'GET' && req.method !== 'HEAD' && !auth.checkCsrf(session, (req.body as Form | undefined)?._csrf)) {
        return reply.code(403).type('text/html').send(page(t, t.common.refused, `<section>${t.common.csrf}</section>`));
      }
      // No text the database cannot store reaches a query (a NUL byte made a search answer 500).
      if (hasNul(req.query) || hasNul(req.body)) return reply.code(400).type('text/html').send(page(t, t.common.refused, `<section><p class="err">${t.common.badInput}</p></section>`));
      sessions.set(req, session);
    });
    scope.post('/admin/logout', async (req, reply) => {
      await auth.endSession(req, reply);
      return reply.redirect('/admin/login', 303);
    });

    const csrf = (req: FastifyRequest) => auth.csrfFor(sessions.get(req) ?? '');
    const ctx: AdminPage = {
      deps,
      t,
      when: whenIn(t),
      csrf,
      render(req, reply, title, body) {
        const q = req.query as Form;
        const session = sessions.get(req) ?? '';
        const flash = (kind: 'ok' | 'err') => (q[kind] && auth.flashSealed(session, kind, q[kind], q.seal) ? q[kind] : undefined);
        return reply
          .type('text/html')
          .header('cache-control', 'no-store')
          .send(page(t, title, body, { csrf: csrf(req), path: req.routeOptions.url, flash: { ok: flash('ok'), err: flash('err') } }));
      },
      async act(reply, to, run) {
        const session = sessions.get(reply.request) ?? '';
        const back = (kind: 'ok' | 'err', text: string) =>
          reply.redirect(`${to}${to.includes('?') ? '&' : '?'}${kind}=${encodeURIComponent(text)}&seal=${auth.sealFlash(session, kind, text)}`, 303);
        try {
          return back('ok', await run());
        } catch (err) {
          if (!isDomainError(err)) throw err;
          return back('err', deps.texts.error(err.code, err.params, '.'));
        }
      },
    };
    registerStorePages(scope, ctx);
    registerOrderPages(scope, ctx);
    registerTopupPages(scope, ctx);
    registerClaimPages(scope, ctx);
    registerSellingPages(scope, ctx);
    registerManagePages(scope, ctx);
    registerSettingsPage(scope, ctx, live);
    scope.get('/admin/whatsapp', async (req, reply) => ctx.render(req, reply, 'WhatsApp', await whatsappStatus(t, whatsapp.transport, whatsapp.baileys)));
  });
}

/** Whether a query or form holds a NUL character (PostgreSQL text cannot). */
const hasNul = (fields: unknown): boolean => !!fields && typeof fields === 'object' && Object.values(fields).some((v) => typeof v === 'string' && v.includes('\u0000'));
