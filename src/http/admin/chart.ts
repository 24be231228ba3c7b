import type { DashTexts } from '../../i18n/dashboard.js';
import { esc, rp } from './html.js';

/** One day of sales: `YYYY-MM-DD` (WIB), revenue, orders. */
export interface DaySales {
  day: string;
  revenue: number;
  orders: number;
}

/** The last `days` calendar days in WIB ending today, each with its sales (0 where none). */
export function lastDays(sales: readonly DaySales[], now: Date, days = 30): DaySales[] {
  const byDay = new Map(sales.map((s) => [s.day, s]));
  const today = new Date(now.getTime() + 7 * 3_600_000);
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1 - i)));
    const day = d.toISOString().slice(0, 10);
    return byDay.get(day) ?? { day, revenue: 0, orders: 0 };
  });
}

/**
 * A bar per day, server-rendered SVG without external assets: the date under every
 * seventh bar and the last, the value on top of each bar that is not empty, a scale
 * line with the maximum, and each bar's exact figure as its title (tap or hover).
 * The viewBox scales to the phone's width; the text stays legible at 390 px.
 */
export function barChart(t: DashTexts, days: readonly DaySales[], value: (d: DaySales) => number, label: (n: number) => string, id: string, name: string): string {
  // About a phone's width in user units: the text is drawn near its real size at 390 px.
  const W = 360;
  const H = 190;
  const top = 34;
  const bottom = 26;
  const left = 4;
  const slot = (W - left) / days.length;
  const max = Math.max(1, ...days.map(value));
  const bars = days
    .map((d, i) => {
      const v = value(d);
      const h = Math.round(((H - top - bottom) * v) / max);
      const x = left + i * slot;
      const [, m, dd] = d.day.split('-');
      const date = `${Number(dd)} ${t.chart.months[Number(m) - 1]}`;
      const last = i === days.length - 1;
      const showDate = (i % 7 === 1 && i < days.length - 4) || last;
      return `<g><title>${esc(date)}: ${esc(label(v))}</title><rect x="${(x + slot * 0.15).toFixed(1)}" y="${H - bottom - h}" width="${(slot * 0.7).toFixed(1)}" height="${Math.max(h, v > 0 ? 1 : 0)}" fill="#128c7e"/>${
        v > 0 ? `<text x="${(x + slot / 2).toFixed(1)}" y="${H - bottom - h - 4}" font-size="10" text-anchor="${last ? 'end' : 'middle'}" fill="#1d2530">${esc(t.chart.short(v))}</text>` : ''
      }${showDate ? `<text x="${last ? W : (x + slot / 2).toFixed(1)}" y="${H - 8}" font-size="11" text-anchor="${last ? 'end' : 'middle'}" fill="#556">${esc(date)}</text>` : ''}</g>`;
    })
    .join('');
  return `<figure class="chart" data-chart="${id}"><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(name)}">
    <line x1="${left}" y1="${top}" x2="${W}" y2="${top}" stroke="#dde" stroke-dasharray="4 3"/><text x="${left}" y="${top - 8}" font-size="11" fill="#556">${t.chart.max} ${esc(label(max))}</text>
    <line x1="${left}" y1="${H - bottom}" x2="${W}" y2="${H - bottom}" stroke="#99a"/>${bars}</svg>
    <figcaption>${esc(name)} · ${t.chart.total} ${esc(label(days.reduce((a, d) => a + value(d), 0)))}</figcaption></figure>`;
}

export const revenueChart = (t: DashTexts, days: readonly DaySales[]) => barChart(t, days, (d) => d.revenue, rp, 'revenue', t.chart.revenue);
export const ordersChart = (t: DashTexts, days: readonly DaySales[]) => barChart(t, days, (d) => d.orders, t.chart.ordersUnit, 'orders', t.chart.orders);

/** The top products as horizontal bars: the code and name on the left, the revenue and the count sold on each bar. */
export function topProductsChart(t: DashTexts, top: readonly { code: string; name: string; qty: number; revenue: number }[]): string {
  if (!top.length) return `<p>${t.common.noSales}</p>`;
  const W = 360;
  const row = 30;
  const labelW = 120;
  const max = Math.max(1, ...top.map((x) => x.revenue));
  const bars = top
    .map((x, i) => {
      const w = Math.max(2, Math.round(((W - labelW - 4) * x.revenue) / max));
      const y = i * row;
      return `<g><title>${esc(x.code)} · ${esc(x.name)}: ${t.chart.sold(x.qty)}, ${esc(rp(x.revenue))}</title>
        <text x="0" y="${y + 13}" font-size="12" fill="#1d2530">${esc(x.code.slice(0, 14))}</text><text x="0" y="${y + 25}" font-size="10" fill="#556">${esc(x.name.slice(0, 20))}</text>
        <rect x="${labelW}" y="${y + 4}" width="${w}" height="${row - 10}" fill="#128c7e"/>
        <text x="${labelW + 4}" y="${y + 18}" font-size="11" fill="#fff">${esc(rp(x.revenue))} · ${x.qty}</text></g>`;
    })
    .join('');
  return `<figure class="chart" data-chart="top"><svg viewBox="0 0 ${W} ${top.length * row}" width="100%" role="img" aria-label="${esc(t.chart.top)}">${bars}</svg>
    <figcaption>${t.chart.topCaption}</figcaption></figure>`;
}
