import type { SupplierOrder } from '../../app/ports.js';
import type { DashTexts } from '../../i18n/dashboard.js';
import type { AdminPage } from './admin-page.js';
import { esc } from './html.js';

/* The supplier orders' table, on the Top-ups page and an order's page. */

/** One supplier order as the dashboard shows it: status, SN and what the supplier said. */
export const supplierOrderRow = ({ t, when }: AdminPage, so: SupplierOrder): string =>
  `<tr data-supplier-order="${esc(so.refId)}"><td><a href="/admin/orders/${esc(so.refId)}">${esc(so.refId)}</a><br><small>${when(so.createdAt)}</small></td>
   <td>${esc(so.sku)}<br>${esc(so.customerNo)}</td><td>${t.topups.state[so.status]}${so.escalatedAt ? ' ⚠️' : ''}<br><small>${t.topups.checked(so.attempts)}${so.nextCheckAt && so.status !== 'success' && so.status !== 'failed' ? ` · ${t.topups.again(when(so.nextCheckAt))}` : ''}</small></td>
   <td>${so.sn ? `<code>${esc(so.sn)}</code>` : '—'}</td><td>${so.rc ? `rc ${esc(so.rc)} ` : ''}${esc(so.message ?? '')}${so.price !== null ? `<br><small>${t.topups.cost(so.price)}</small>` : ''}</td></tr>`;

export const supplierOrderHead = (t: DashTexts) => `<tr>${t.topups.head.map((h) => `<th>${h}</th>`).join('')}</tr>`;
