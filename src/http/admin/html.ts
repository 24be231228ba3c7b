import { formatRupiah } from '../../domain/money.js';
import type { DashTexts } from '../../i18n/dashboard.js';

export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const rp = formatRupiah;
/** `30 Nov 2026, 08.05 WIB` (or `08:05` in English): the seller's time, whatever the server's zone. */
export const whenIn = (t: DashTexts) => (d: Date | null) => (d ? t.when(d) : '—');

/** One page of the dashboard: no external assets, readable on a phone. */
export function page(t: DashTexts, title: string, body: string, opts: { csrf?: string; path?: string; flash?: { ok?: string; err?: string } } = {}): string {
  const nav = opts.csrf
    ? `<nav>${Object.entries(t.nav).map(([href, label]) => `<a href="${href}"${opts.path === href ? ' class="on"' : ''}>${label}</a>`).join('')}
       <form method="post" action="/admin/logout" class="inline">${csrfField(opts.csrf)}<button class="link">${t.common.logout}</button></form></nav>`
    : '';
  const flash = opts.flash?.ok ? `<p class="ok">${esc(opts.flash.ok)}</p>` : opts.flash?.err ? `<p class="err">${esc(opts.flash.err)}</p>` : '';
  return `<!doctype html><html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · kedai</title><style>
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;background:#f4f6f8;color:#1d2530}
header{background:#075e54;color:#fff;padding:10px 14px}header b{font-size:17px}
nav{display:flex;flex-wrap:wrap;gap:4px;padding:8px 10px;background:#fff;border-bottom:1px solid #dde}
nav a{padding:6px 10px;border-radius:6px;color:#075e54;text-decoration:none}nav a.on{background:#e3f2ef;font-weight:600}
main{max-width:1000px;margin:0 auto;padding:12px}section{background:#fff;border-radius:10px;padding:12px 14px;margin:10px 0;box-shadow:0 1px 2px #0001}
h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin:4px 0 8px}table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #eef;vertical-align:top}.num{text-align:right}
input,textarea,select{font:inherit;padding:6px 8px;border:1px solid #ccd;border-radius:6px;max-width:100%}textarea{width:100%;min-height:120px}
button{font:inherit;padding:6px 12px;border:0;border-radius:6px;background:#128c7e;color:#fff;cursor:pointer}button.danger{background:#b3261e}section.alert{border:2px solid #b3261e;background:#fdecea}
button.link{background:none;color:#075e54;padding:6px 10px}.inline{display:inline}.row{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
.ok{background:#e6f4ea;padding:8px 10px;border-radius:6px}.err{background:#fdecea;padding:8px 10px;border-radius:6px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}.card{background:#fff;border-radius:10px;padding:12px;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:22px}figure.chart{margin:0}figure.chart svg{display:block;width:100%;max-width:none;height:auto}figcaption{font-size:13px;color:#556}
details summary{cursor:pointer;color:#075e54;font-weight:600;padding:4px 0}details[open] summary{margin-bottom:6px}details form{margin:4px 0}div.wa{white-space:pre-wrap;background:#e7fce3;border-radius:8px;padding:8px 10px;max-width:420px}ul.attention{padding-left:18px;margin:4px 0}ul.attention li{margin:2px 0}
@media (max-width:600px){table.stack td{display:block;border:0;padding:3px 2px}table.stack tr{display:block;border-bottom:1px solid #dde;padding:6px 0}
table.cards,table.cards tbody{display:block}table.cards tr.head{display:none}table.cards tr{display:block;border:1px solid #dde;border-radius:8px;padding:6px 8px;margin:6px 0}
table.cards td{display:block;border:0;padding:2px 0;text-align:left}table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#556}
section.scroll{overflow-x:visible}input,select{max-width:100%}}
.st{padding:1px 6px;border-radius:8px;font-size:13px;white-space:nowrap}.st-delivered,.st-success,.st-paid{background:#e6f4ea;color:#1e6b34}.st-pending,.st-queued,.st-unknown{background:#fff4d6;color:#7a5200}
.st-expired,.st-cancelled{background:#eef0f3;color:#555}.st-failed,.st-refunded,.st-reversed{background:#fdecea;color:#9b1c14}.scroll{overflow-x:auto}pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:8px;border-radius:6px}
</style></head><body><header><b>kedai</b> · ${esc(title)}</header>${nav}<main>${flash}${body}</main><script src="/admin/app.js" defer></script></body></html>`;
}

export const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;

/** A list's page number from the query: 1 to 100,000, 1 for anything else. */
export const pageNumber = (value: string | undefined): number => Math.max(1, Math.min(100_000, Math.trunc(Number(value)) || 1));

/** `← Sebelumnya  halaman 2 dari 9 (420 produk)  Berikutnya →`: a list's paging links (hrefs already escaped). */
export const paging = (t: DashTexts, at: string, prev: string | null, next: string | null, extra = '') =>
  prev || next
    ? `<p class="row" data-paging>${prev ? `<a href="${prev}">${t.common.prev}</a>` : ''} ${at}${extra} ${next ? `<a data-next href="${next}">${t.common.next}</a>` : ''}</p>`
    : '';

/** A small POST form with the CSRF field. */
export const form = (action: string, csrf: string, inner: string, cls = 'row') =>
  `<form method="post" action="${esc(action)}" class="${cls}">${csrfField(csrf)}${inner}</form>`;
