import { formatRupiah } from '../domain/money.js';
import type { ErrorCode } from '../domain/errors.js';
import type { CatalogueView } from '../app/account.js';
import type { StoreInfo } from '../app/live-settings.js';
import type { ListMessage, Voucher, OpsReport, Order, ProductWithStock, SalesReport, StockItem, StoreStats, SupplierOrder, SupplierReply, SupplierState } from '../app/ports.js';
import type { FailureReason } from '../domain/topup.js';
import { clip } from '../domain/text.js';

/** Everything the bot says, in one language. Pure functions of their arguments. */
export interface Texts {
  menu(prefix: string, isAdmin: boolean): string;
  unknownCommand(prefix: string): string;
  sendText(prefix: string): string;
  catalogue(view: CatalogueView, prefix: string): string;
  /** The same view as a tappable list, or null when it does not fit one (over 10 categories, nothing to show). */
  catalogueList(view: CatalogueView, prefix: string): ListMessage | null;
  productInfo(p: ProductWithStock, prefix: string): string;
  /** `.info` without a code: name, opening hours, payment methods, contact. */
  storeInfo(info: StoreInfo, prefix: string): string;
  /** `.cs` / `.kontak`: the seller's contact text, or the admins' numbers. */
  contact(info: StoreInfo, adminNumbers: readonly string[]): string;
  infoSaved(key: string, cleared: boolean): string;
  voucherAdded(v: Voucher): string;
  voucherDeleted(code: string): string;
  voucherList(vs: readonly Voucher[]): string;
  error(code: ErrorCode, params: Readonly<Record<string, string | number>>, prefix: string): string;
  systemError(): string;
  rateLimited(kind: 'buy' | 'cmd', limit: number, seconds: number): string;
  usage(command: string, prefix: string): string;
  delivered(order: Order, items: readonly StockItem[]): string;
  paidByBalance(order: Order, balanceLeft: number): string;
  paymentLink(order: Order, url: string): string;
  qrisPayment(order: Order): string;
  depositCredited(order: Order, balance: number): string;
  balance(amount: number, name: string): string;
  history(orders: readonly Order[]): string;
  cancelled(order: Order): string;
  /** `.batal` on an order whose payment already went through. */
  cancelTooLate(order: Order): string;
  orderClosed(order: Order, why: 'expired' | 'cancelled' | 'failed'): string;
  paymentUnavailable(order: Order): string;
  latePaymentCredited(order: Order, balance: number): string;
  adminLatePayment(order: Order, credited: boolean): string;
  adminRefund(order: Order, gatewayStatus: string): string;
  adminChallenge(order: Order): string;
  /** The buyer's card payment is held for the seller's fraud review. */
  paymentInReview(order: Order): string;
  /** The bank took a settled payment back: what was taken from the balance, what is owed. */
  paymentReversed(order: Order, taken: number, owed: number): string;
  /** `topup`: a reversed top-up's supplier order as it stands (it cannot be cancelled at the supplier). */
  adminReversal(order: Order, r: { gatewayStatus: string; taken: number; owed: number; items: readonly string[]; topup?: { status: string; sn: string | null } | null }): string;
  released(waId: string, wasHeld: boolean): string;
  adminDeadLetter(to: string, attempts: number, error: string): string;
  adminLowStock(code: string, name: string, left: number): string;
  groupSwitched(on: boolean): string;
  roleSet(waId: string, role: string): string;
  blocked(waId: string, blocked: boolean): string;
  recap(r: SalesReport & { period: string }): string;
  stats(s: StoreStats): string;
  broadcastQueued(count: number): string;
  performa(r: OpsReport): string;
  recheck(results: readonly { orderId: string; result: string }[]): string;
  productSaved(code: string, what: 'added' | 'price' | 'name' | 'description' | 'category' | 'deactivated'): string;
  /** `skipped`: lines that were already on sale or repeated in the list. */
  stockAdded(code: string, added: number, available: number, skipped: number): string;
  stockRemoved(code: string, removed: number): string;
  /** `newNumber`: the number never wrote to the store (a typo shows here). */
  balanceAdjusted(waId: string, amount: number, balance: number, newNumber: boolean): string;
  /** In a group, for a reply that carries personal data and went to the private chat instead. */
  sentPrivately(): string;
  balanceAdjustedNotice(amount: number, balance: number): string;
  /** The SN of a delivered top-up, with the order id: the buyer's proof. No SN (the supplier sent none): its message instead. */
  topupDelivered(order: Order, sn: string | null, supplierMessage: string): string;
  topupProcessing(order: Order): string;
  /** Whose PLN meter it is, as the supplier's check said, before the token is paid for. */
  meterOwner(order: Order, name: string, segment: string): string;
  topupFailed(order: Order, reason: FailureReason, balance: number): string;
  adminTopupFailed(order: Order, rc: string, message: string): string;
  adminTopupStuck(order: Order, so: SupplierOrder): string;
  /** The supplier contradicts a final state (Gagal after Sukses, Sukses after an admin's refund). */
  adminTopupConflict(order: Order, was: string, reply: SupplierReply): string;
  /** The supplier settled a top-up whose payment the bank reversed: what it costs the seller. */
  adminTopupAfterReversal(order: Order, reply: SupplierReply): string;
  /** A re-check refused for the store's own cause (IP, key, deposit): the top-up stays open. */
  adminRecheckRefused(order: Order, reply: SupplierReply): string;
  /** An rc kedai does not know, decided by its status. */
  adminUnknownRc(order: Order, reply: SupplierReply): string;
  adminCostRisen(code: string, name: string, cost: number, price: number): string;
  adminSupplierLow(balance: number, low: number): string;
  skuSet(r: { code: string; sku: string | null; cost: number | null }): string;
  supplierStatus(s: SupplierState & { name: string; live: number | null }): string;
}

const WIB = new Intl.DateTimeFormat('id-ID', {
  timeZone: 'Asia/Jakarta',
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** `23 Nov 20.15 WIB`: buyers are in Indonesia, whatever the server's zone. */
export const formatWib = (d: Date): string => `${WIB.format(d)} WIB`;

const WIB_EN = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** `23 Nov, 20:15 WIB`: the same moment as English writes it (LOCALE=en). */
export const formatWibEn = (d: Date): string => `${WIB_EN.format(d)} WIB`;

const WIB_LONG = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** `30 Nov 2026, 08.05 WIB`: with the year, where a date may be months old (the dashboard). */
export const formatWibLong = (d: Date): string => `${WIB_LONG.format(d)} WIB`;

export type Locale = 'id' | 'en';

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
