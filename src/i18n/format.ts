import { formatRupiah } from '../domain/money.js';
import type { CatalogueView, ListMessage, ProductWithStock, Voucher } from '../app/ports.js';
import { clip } from '../domain/text.js';

/* Formatting both languages share: WIB times, a voucher's discount, the catalogue's layout. */

/**
 * A moment as a clock in Western Indonesia shows it (UTC+7 all year: Indonesia keeps no summer
 * time), in one language's words. Written out rather than with `Intl.DateTimeFormat`: the same
 * text whatever ICU the Node build carries, and no ICU calendar and time-zone data paged into
 * every process for it (~6 MB of resident memory, measured: docs/performance.md).
 */
function wib(d: Date, months: readonly string[], timeMark: string, withYear: boolean): string {
  const t = new Date(d.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCDate()} ${months[t.getUTCMonth()]}${withYear ? ` ${t.getUTCFullYear()}` : ''}, ${two(t.getUTCHours())}${timeMark}${two(t.getUTCMinutes())}`;
}
const MONTHS_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'] as const;
/** As CLDR's en-GB abbreviates them (`Sept`), which is what `Intl` wrote before. */
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'] as const;

/**
 * `4 Des, 20.15 WIB`: buyers are in Indonesia, whatever the server's zone. The dashboard's style
 * (`formatWibLong`), without the year: a chat's dates are this week's.
 */
export const formatWib = (d: Date): string => `${wib(d, MONTHS_ID, '.', false)} WIB`;

/** `4 Dec, 20:15 WIB`: the same moment as English writes it (LOCALE=en). */
export const formatWibEn = (d: Date): string => `${wib(d, MONTHS_EN, ':', false)} WIB`;

/** `30 Nov 2026, 08.05 WIB`: with the year, where a date may be months old (the dashboard). */
export const formatWibLong = (d: Date): string => `${wib(d, MONTHS_ID, '.', true)} WIB`;

/** `30 Nov 2026, 08:05 WIB`: the dashboard in English. */
export const formatWibLongEn = (d: Date): string => `${wib(d, MONTHS_EN, ':', true)} WIB`;


/** `10%` or `Rp5.000`. */
export const discountText = (v: Voucher): string => ('percent' in v.discount ? `${v.discount.percent}%` : formatRupiah(v.discount.amount));

export { clip };

/** The words of one language for `renderCatalogue`. */
export interface CatalogueWords {
  empty: string;
  title: string;
  /** The name shown for products without a category. */
  none: string;
  line(p: ProductWithStock): string;
  count(n: number): string;
  more(n: number): string;
  open: string;
  all: string;
  page(n: number, of: number): string;
  next(command: string): string;
  buy: string;
}

/** At most this many categories in the overview (40 characters each at most): one message whatever the store. */
const OVERVIEW_MAX = 50;

/**
 * The text catalogue, the same shape in every language: an overview of the
 * categories, or one page of products (grouped under their category) with the
 * command for the next page. Lines are clipped so a reply stays one message.
 */
export function renderCatalogue(view: CatalogueView, p: string, w: CatalogueWords): string {
  if (view.total === 0) return w.empty;
  if (view.kind === 'overview') {
    const shown = view.categories.slice(0, OVERVIEW_MAX);
    return [
      w.title,
      '',
      ...shown.map((c) => `• ${c.name ?? w.none} (${w.count(c.products)})`),
      ...(view.categories.length > shown.length ? [w.more(view.categories.length - shown.length)] : []),
      '',
      w.open,
      w.all,
    ].join('\n');
  }
  const heading = view.category === undefined ? w.title : `*${view.category === null ? w.none : (view.products[0]?.category ?? view.category)}*`;
  const lines: string[] = [view.pages > 1 ? `${heading} — ${w.page(view.page, view.pages)}` : heading];
  let shelf: string | null | undefined;
  for (const x of view.products) {
    if (view.category === undefined && x.category !== shelf && (x.category !== null || shelf !== undefined)) lines.push('', `_${x.category ?? w.none}_`);
    shelf = x.category;
    lines.push(w.line(x));
  }
  const where = view.category === undefined ? '' : ` ${view.category ?? w.none.toLowerCase()}`;
  if (view.page < view.pages) lines.push('', w.next(`${p}produk${where} ${view.page + 1}`));
  lines.push('', w.buy);
  return lines.join('\n');
}

/** The words of one language for `renderCatalogueList`. */
export interface ListWords {
  none: string;
  title: string;
  pick: string;
  categoriesButton: string;
  productsButton: string;
  page(n: number, of: number): string;
  count(n: number): string;
  stock(p: ProductWithStock): string;
  next: string;
  navigation: string;
}

/**
 * The catalogue as a WhatsApp list: categories as rows (a tap opens one), or a
 * page of products in sections by category (a tap opens the product with how
 * to buy), plus a "next page" row. Every row id is the command the tap sends.
 */
export function renderCatalogueList(view: CatalogueView, p: string, w: ListWords): ListMessage | null {
  if (view.total === 0) return null;
  if (view.kind === 'overview') {
    if (view.categories.length > 10) return null;
    return {
      body: `${w.title}\n${w.pick}`,
      button: w.categoriesButton,
      sections: [
        {
          title: clip(w.title.replace(/\*/g, ''), 24),
          rows: view.categories.map((c) => ({ id: `${p}produk ${c.name ?? w.none.toLowerCase()}`, title: clip(c.name ?? w.none, 24), description: w.count(c.products) })),
        },
      ],
    };
  }
  const sections: ListMessage['sections'] = [];
  for (const x of view.products) {
    const title = clip(x.category ?? w.none, 24);
    let section = sections.at(-1);
    if (section?.title !== title) sections.push((section = { title, rows: [] }));
    section.rows.push({ id: `${p}info ${x.code}`, title: clip(x.name, 24), description: clip(`${x.code} · ${formatRupiah(x.price)} · ${w.stock(x)}`, 72) });
  }
  if (view.page < view.pages) {
    const where = view.category === undefined ? '' : ` ${view.category ?? w.none.toLowerCase()}`;
    sections.push({ title: w.navigation, rows: [{ id: `${p}produk${where} ${view.page + 1}`, title: w.next, description: w.page(view.page + 1, view.pages) }] });
  }
  const heading = view.category === undefined ? w.title : `*${view.category ?? w.none}*`;
  return {
    body: `${heading}${view.pages > 1 ? ` — ${w.page(view.page, view.pages)}` : ''}\n${w.pick}`,
    button: w.productsButton,
    sections: sections.slice(0, 10),
  };
}

/** A bill's period as a month (`202611` → `Nov 2026`); anything else as the supplier wrote it. */
export const billPeriod = (period: string, months: readonly string[]): string => {
  const m = /^(\d{4})(\d{2})$/.exec(period);
  const month = m ? months[Number(m[2]) - 1] : undefined;
  return m && month ? `${month} ${m[1]}` : period;
};

/** The lines of a bill, its total last (`Total: Rp…`): the same in every language but for the words. */
export function billLines(
  c: { productCode: string; target: string; total: number; bill?: { customerName: string; periods: string[]; bill: number; admin: number; fee: number } },
  w: { title: string; number: string; name: string; period: string; bill: string; admin: string; fee: string; months: readonly string[] },
): string[] {
  const bill = c.bill ?? { customerName: '', periods: [], bill: 0, admin: 0, fee: 0 };
  return [
    `🧾 *${w.title} ${c.productCode}*`,
    `${w.number}: ${c.target}`,
    ...(bill.customerName ? [`${w.name}: ${bill.customerName}`] : []),
    ...(bill.periods.length ? [`${w.period}: ${bill.periods.map((x) => billPeriod(x, w.months)).join(', ')}`] : []),
    `${w.bill}: ${formatRupiah(bill.bill)}`,
    `${w.admin}: ${formatRupiah(bill.admin)}`,
    ...(bill.fee > 0 ? [`${w.fee}: ${formatRupiah(bill.fee)}`] : []),
    `Total: ${formatRupiah(c.total)}`,
  ];
}
