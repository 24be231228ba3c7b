import type { FastifyInstance } from 'fastify';
import { SETTING_KEYS, updateSettings, type LiveSettings, type SettingKey } from '../../app/live-settings.js';
import type { AdminPage, Form } from './dashboard.js';
import { esc, form } from './html.js';

/** The settings written in a text area (several lines). */
const AREAS: ReadonlySet<SettingKey> = new Set(['welcome_text', 'contact_text', 'payment_info']);

/** Settings the seller may change without a restart; every kedai process picks them up within 30 s. */
export function registerSettingsPage(app: FastifyInstance, p: AdminPage, live: LiveSettings): void {
  app.get('/admin/settings', async (req, reply) => {
    const fields = SETTING_KEYS.map((key) => {
      const [label, hint] = p.t.settings.fields[key];
      const value = esc(live.raw[key] ?? '');
      const input = AREAS.has(key) ? `<textarea name="${key}">${value}</textarea>` : `<input name="${key}" value="${value}">`;
      return `<label style="display:block;margin:8px 0"><b>${label}</b> <small>${hint}</small><br>${input}</label>`;
    }).join('');
    const now = p.t.settings.now(live.paymentExpiryMinutes, live.buyPerMin, live.cmdPerMin, esc(live.prefixes.join(' ')));
    return p.render(req, reply, p.t.settings.title, `<section>${form('/admin/settings', p.csrf(req), `${fields}<button>${p.t.common.save}</button>`, '')}<p><small>${now}</small></p></section>`);
  });
  app.post<{ Body: Form }>('/admin/settings', async (req, reply) =>
    p.act(reply, '/admin/settings', async () => {
      await updateSettings(p.deps, Object.fromEntries(SETTING_KEYS.map((k) => [k, req.body[k] ?? ''])));
      return p.t.settings.saved;
    }),
  );
}
