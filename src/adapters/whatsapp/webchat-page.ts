import { normaliseNumber } from '../../domain/phone.js';
import { whatsappHtml } from '../../domain/whatsapp-format.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's words in the store's language (LOCALE); the script reads the pane's from `data-words`. */
const WORDS = {
  id: { admin: 'Admin', buyer: 'Pembeli', name: 'Nama (opsional)', add: '+ Nomor', hint: 'Ketik <b>.menu</b> untuk mulai. Shift+Enter untuk baris baru.', pane: { buyer: 'pembeli', close: 'tutup', type: 'Ketik pesan' } },
  en: { admin: 'Admin', buyer: 'Buyer', name: 'Name (optional)', add: '+ Number', hint: 'Type <b>.menu</b> to start. Shift+Enter for a new line.', pane: { buyer: 'buyer', close: 'close', type: 'Type a message' } },
};

/** The web chat page: several phone numbers side by side, live over server-sent events. No external assets. */
export function webchatPage(defaultNumbers: readonly string[] = ['6281234567890'], locale: 'id' | 'en' = 'id'): string {
  const w = WORDS[locale];
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>kedai — web chat</title>
<style>
*{box-sizing:border-box}body{margin:0;font-family:system-ui,sans-serif;background:#d9dbd5;height:100vh;display:flex;flex-direction:column}
header{background:#075e54;color:#fff;padding:10px 16px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
header h1{font-size:17px;margin:0 12px 0 0}header input{padding:6px;border-radius:6px;border:0;width:150px}
header button{padding:6px 10px;border:0;border-radius:6px;background:#25d366;color:#053;cursor:pointer}
main{flex:1;display:flex;gap:8px;padding:8px;overflow-x:auto;min-height:0}
#tabs{display:none;gap:6px;padding:6px 8px 0;overflow-x:auto}#tabs button{border:0;border-radius:14px;padding:6px 12px;background:#fff;cursor:pointer;white-space:nowrap}#tabs button.active{background:#128c7e;color:#fff}
.pane{flex:0 0 min(380px,92vw);display:flex;flex-direction:column;background:#efeae2;border-radius:8px;overflow:hidden;box-shadow:0 1px 4px #0003}
.top{background:#128c7e;color:#fff;padding:8px 10px;display:flex;justify-content:space-between;align-items:center}
.top small{opacity:.8}.top button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}
.msgs{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px}
.m{max-width:85%;padding:6px 9px;border-radius:8px;white-space:pre-wrap;word-wrap:break-word;font-size:14px;box-shadow:0 1px 1px #0002}
.m code{font-family:ui-monospace,monospace;font-size:13px}.in{align-self:flex-end;background:#d9fdd3}.out{align-self:flex-start;background:#fff}.m time{display:block;font-size:10px;color:#889;text-align:right}
form{display:flex;gap:6px;padding:8px;background:#f0f0f0}form textarea{flex:1;resize:none;border-radius:18px;border:0;padding:8px 12px;font:inherit;height:38px}
form button{border:0;border-radius:50%;width:38px;height:38px;background:#128c7e;color:#fff;cursor:pointer}
@media (max-width:640px){header small{display:none}#tabs{display:flex}main{padding:6px}.pane{display:none;flex:1 1 100%}.pane.active{display:flex}}
</style></head><body data-numbers="${esc(JSON.stringify(defaultNumbers.map((n, i) => [n, i === 0 ? w.admin : w.buyer])))}" data-words="${esc(JSON.stringify(w.pane))}">
<header><h1>kedai · web chat</h1>
<input id="num" placeholder="6281234567890" inputmode="numeric"><input id="name" placeholder="${w.name}">
<button id="add">${w.add}</button><small>${w.hint}</small></header>
<nav id="tabs"></nav>
<main id="panes"></main>
<script src="/chat/app.js" defer></script></body></html>`;
}

/**
 * The page's script, served from its own URL: the page's CSP allows no inline script. A number
 * typed in `+ Nomor` is read by the same normaliser as everywhere else (its source is put in).
 */
export const WEBCHAT_SCRIPT = `
${normaliseNumber.toString()}
${whatsappHtml.toString()}
const panes = new Map();
const esc = (s) => s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
// \`30 Nov 2026, 08.05 WIB\` (\`08:05\` in English) whatever the browser's language and zone: the store's time.
const english = document.documentElement.lang === 'en';
const words = JSON.parse(document.body.dataset.words || '{}');
const MONTHS = english
  ? ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  : ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
const wib = (at) => {
  const d = new Date(new Date(at).getTime() + 7 * 3600000);
  const two = (n) => String(n).padStart(2, '0');
  return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear() + ', ' + two(d.getUTCHours()) + (english ? ':' : '.') + two(d.getUTCMinutes()) + ' WIB';
};
function show(pane, m) {
  if (pane.seen.has(m.id)) return; pane.seen.add(m.id);
  const div = document.createElement('div'); div.className = 'm ' + m.direction;
  div.innerHTML = whatsappHtml(m.text) + (m.image ? '<br><img src="' + esc(m.image) + '" width="200">' : '') + '<time>' + wib(m.at) + '</time>';
  pane.list.appendChild(div); pane.list.scrollTop = pane.list.scrollHeight;
}
function activate(number) {
  for (const [n, p] of panes) { p.el.classList.toggle('active', n === number); p.tab.classList.toggle('active', n === number); }
}
async function addPane(typed, name) {
  const number = normaliseNumber(typed) ?? (/^\\d{5,20}$/.test(typed) ? typed : null);
  if (!number) return false;
  if (panes.has(number)) return activate(number), true;
  const el = document.createElement('section'); el.className = 'pane';
  el.innerHTML = '<div class="top"><div><b>' + number + '</b><br><small>' + esc(name || words.buyer) + '</small></div><button title="' + esc(words.close) + '">×</button></div><div class="msgs"></div><form><textarea placeholder="' + esc(words.type) + '"></textarea><button>➤</button></form>';
  // On a phone one pane shows at a time: a tab per number switches between them.
  const tab = document.createElement('button'); tab.textContent = name || number; tab.onclick = () => activate(number);
  const pane = { el, tab, list: el.querySelector('.msgs'), seen: new Set(), name };
  panes.set(number, pane); document.getElementById('panes').appendChild(el); document.getElementById('tabs').appendChild(tab); save(); activate(number);
  el.querySelector('.top button').onclick = () => { el.remove(); tab.remove(); panes.delete(number); save(); const first = panes.keys().next(); if (!first.done) activate(first.value); };
  const ta = el.querySelector('textarea'); const form = el.querySelector('form');
  ta.onkeydown = (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } };
  form.onsubmit = async (e) => { e.preventDefault(); const text = ta.value.trim(); if (!text) return; ta.value = '';
    await fetch('/chat/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: number, name: name || '', text }) }); };
  const res = await fetch('/chat/api/messages?number=' + number); (await res.json()).messages.forEach((m) => show(pane, m));
  return true;
}
function save() { localStorage.setItem('kedai-panes', JSON.stringify([...panes].map(([n, p]) => [n, p.name]))); }
document.getElementById('add').onclick = async () => {
  const input = document.getElementById('num');
  const ok = await addPane(input.value.trim(), document.getElementById('name').value.trim());
  input.style.outline = ok ? '' : '2px solid #e53935';
};
const events = new EventSource('/chat/api/events');
events.onmessage = (e) => { const { number, message } = JSON.parse(e.data); const p = panes.get(number); if (p) show(p, message); };
const saved = JSON.parse(localStorage.getItem('kedai-panes') || 'null');
(async () => {
  for (const [n, name] of saved && saved.length ? saved : JSON.parse(document.body.dataset.numbers || '[]')) await addPane(n, name);
  const first = panes.keys().next(); if (!first.done) activate(first.value);
})();
`;
