import type { ErrorCode } from '../domain/errors.js';
import type { OpsReport, Order, ProductWithStock, SalesReport, StockItem, StoreStats } from '../app/ports.js';

/** Everything the bot says, in one language. Pure functions of their arguments. */
export interface Texts {
  menu(prefix: string, isAdmin: boolean): string;
  unknownCommand(prefix: string): string;
  sendText(prefix: string): string;
  catalogue(products: readonly ProductWithStock[], prefix: string): string;
  productInfo(p: ProductWithStock, prefix: string): string;
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
  orderClosed(order: Order, why: 'expired' | 'cancelled' | 'failed'): string;
  paymentUnavailable(order: Order): string;
  latePaymentCredited(order: Order, balance: number): string;
  adminLatePayment(order: Order, credited: boolean): string;
  adminRefund(order: Order, gatewayStatus: string): string;
  adminChallenge(order: Order): string;
  adminDeadLetter(to: string, attempts: number, error: string): string;
  groupSwitched(on: boolean): string;
  roleSet(waId: string, role: string): string;
  blocked(waId: string, blocked: boolean): string;
  recap(r: SalesReport & { period: string }): string;
  stats(s: StoreStats): string;
  broadcastQueued(count: number): string;
  performa(r: OpsReport): string;
  recheck(results: readonly { orderId: string; result: string }[]): string;
  productSaved(code: string, what: 'added' | 'price' | 'name' | 'description' | 'deactivated'): string;
  stockAdded(code: string, added: number, available: number): string;
  stockRemoved(code: string, removed: number): string;
  balanceAdjusted(waId: string, amount: number, balance: number): string;
  balanceAdjustedNotice(amount: number, balance: number): string;
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

export type Locale = 'id' | 'en';
