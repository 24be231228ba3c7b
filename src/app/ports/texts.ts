import type { ErrorCode } from '../../domain/errors.js';
import type { FailureReason } from '../../domain/topup.js';
import type { ListMessage } from './messaging.js';
import type { OpsReport } from './ops.js';
import type { Order, ProductWithStock, StockItem, Voucher } from './records.js';
import type { SalesReport, StoreStats } from './reports.js';
import type { Confirmation, SupplierOrder, SupplierReply, SupplierState } from './supplier.js';
import type { CatalogueView, StoreInfo } from './views.js';

/* What the app says to people: one implementation per language in i18n/ (id, en). */

export type Locale = 'id' | 'en';

/** Everything the bot says, in one language. Pure functions of their arguments. */
export interface Texts {
  menu(prefix: string, isAdmin: boolean): string;
  unknownCommand(prefix: string): string;
  /** A command the process was handling when it died, not carried out again after the restart: what to check. */
  resumedMidway(text: string, prefix: string): string;
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
  productSaved(code: string, what: 'added' | 'name' | 'description' | 'category' | 'deactivated', prefix?: string): string;
  /** `.setharga CODE PRICE [ROLE]`: the price now, and for which role (null: everyone without a role price). */
  priceSaved(code: string, price: number, role: string | null): string;
  /** `.setmodal CODE COST`: the cost now (null: unknown), and that it counts from the next orders. */
  costSaved(code: string, cost: number | null): string;
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
  /** A bill as the supplier gave it, its total on a line of its own, and how to pay it (`.ya`) or drop it (`.batal`). */
  billShown(asked: Confirmation, prefix: string): string;
  /** A top-up to a checked destination: whose ID or meter it is (or that it could not be checked), the price, and `.ya` to pay. */
  topupConfirm(asked: Confirmation, prefix: string): string;
  /** `.notify CODE` recorded; `.notify` lists; `.notify CODE off` dropped (or there was none). */
  wishAdded(code: string, name: string, days: number): string;
  wishList(wishes: { code: string; name: string; expiresAt: Date }[], prefix: string): string;
  wishDropped(code: string, dropped: boolean): string;
  /** Warranty claims: the buyer's receipt, the admins' notice, the replacement's delivery (`\u0000` where the item goes), a rejection, the admins' replies. */
  claimOpened(orderId: string): string;
  adminClaimOpened(orderId: string, code: string, waId: string, reason: string): string;
  replacementDelivered(orderId: string, productName: string): string;
  claimRejected(orderId: string, reason: string): string;
  claimAnswered(orderId: string, how: 'replaced' | 'rejected'): string;
  warrantySet(code: string, days: number): string;
  /** Delivery by hand: the admins' task (with the buyer's detail), the buyer's "paid, coming", the delivery, the reminder, the settings. */
  adminManualOrder(order: Order): string;
  manualPaid(order: Order): string;
  handDelivered(order: Order, text: string): string;
  adminManualReminder(orders: Order[], hours: number): string;
  handSent(orderId: string): string;
  formSet(code: string, form: 'email' | 'text' | null): string;
  manualSet(code: string, on: boolean): string;
  /** Referral: a buyer's code and earnings, a join, a commission paid or taken back. */
  referralInfo(r: { code: string; earned: number; referred: number; percent: number }, prefix: string): string;
  referralJoined(referrer: string): string;
  commissionPaid(orderId: string, amount: number, balance: number): string;
  commissionTakenBack(orderId: string, taken: number, owed: number): string;
  /** The notice to a buyer who asked: the product is back. */
  backInStock(code: string, name: string): string;
  /** `.batal` dropped the bill the buyer was asked to confirm. */
  confirmDropped(asked: Confirmation | null): string;
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
  skuSet(r: { code: string; sku: string | null; cost: number | null; postpaid?: boolean; backup?: string }): string;
  /** `.setcek CODE GAME`: the game a product's IDs are checked in (null: the supplier's own name for it). */
  checkGameSet(code: string, game: string | null): string;
  supplierStatus(s: SupplierState & { name: string; live: number | null }): string;
}
