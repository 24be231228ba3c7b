import type { FastifyInstance } from 'fastify';
import { SETTING_KEYS, updateSettings, type LiveSettings, type SettingKey } from '../../app/live-settings.js';
import { groupsOff, setGroupEnabled } from '../../app/group-switch.js';
import type { AdminPage, Form } from './admin-page.js';
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
    const st = p.t.settings;
    const csrf = p.csrf(req);
    const now = st.now(live.paymentExpiryMinutes, live.buyPerMin, live.cmdPerMin, esc(live.prefixes.join(' ')));
    // `.grup off` is said in the group; turning it on again can be done from here too.
    const off = await groupsOff(p.deps);
    const groups = off.length
      ? `<table data-groups-off>${off.map((g) => `<tr><td>${esc(g.chat)}<br><small>${st.offSince(p.when(g.since))}</small></td><td>${form(`/admin/settings/groups/${encodeURIComponent(g.chat)}/on`, csrf, `<button>${st.turnOn}</button>`)}</td></tr>`).join('')}</table>`
      : `<p>${st.noGroups}</p>`;
    return p.render(
      req,
      reply,
      st.title,
      `<section>${form('/admin/settings', csrf, `${fields}<button>${p.t.common.save}</button>`, '')}<p><small>${now}</small></p></section>
       <section class="scroll"><h2>${st.groups}</h2>${groups}<p><small>${st.groupsHint}</small></p></section>`,
    );
  });
  app.post<{ Body: Form }>('/admin/settings', async (req, reply) =>
    p.act(reply, '/admin/settings', async () => {
      await updateSettings(p.deps, Object.fromEntries(SETTING_KEYS.map((k) => [k, req.body[k] ?? ''])));
      return p.t.settings.saved;
    }),
  );
  app.post<{ Params: { chat: string } }>('/admin/settings/groups/:chat/on', async (req, reply) =>
    p.act(reply, '/admin/settings', async () => {
      await setGroupEnabled(p.deps, req.params.chat, true);
      return p.t.settings.groupOn(req.params.chat);
    }),
  );
}
