import type { Texts } from '../i18n/index.js';
import type { CacheAside } from './cache-aside.js';
import type { Claimed, Clock, OpsReport, Order, PaymentGateway, PaymentInbox, Repos, Store, Telemetry, TxLock } from './ports.js';
import { assertTransition, type OrderStatus } from '../domain/order.js';
import { DomainError } from '../domain/errors.js';

/** The few logger methods the app uses (pino satisfies it). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Everything a use case may touch: ports, never adapters. */
export interface AppDeps {
  store: Store;
  gateway: PaymentGateway;
  cache: CacheAside;
  locks: TxLock;
  /** Where reconciliation hands gateway statuses, to be applied like notifications. */
  inbox: PaymentInbox;
  clock: Clock;
  telemetry: Telemetry;
  /** Live operational figures (`.performa`); absent in the CLI. */
  ops?: { report(): Promise<OpsReport> };
  texts: Texts;
  log: Log;
  randomHex(): string;
  settings: { paymentExpiryMinutes: number; paymentMethod: 'snap' | 'qris'; adminNumbers: readonly string[]; publicUrl: string; lowStockThreshold: number };
}

/**
 * Moves a locked order along the state machine. The SQL guard repeats the
 * check, so a concurrent change shows up as ILLEGAL_TRANSITION, never a double move.
 */
export async function moveOrder(r: Repos, order: Order, to: OrderStatus): Promise<Order> {
  assertTransition(order.status, to);
  const moved = await r.orders.transition(order.orderId, [order.status], to);
  if (!moved) throw new DomainError('ILLEGAL_TRANSITION', { from: order.status, to });
  return { ...order, status: to };
}

/**
 * One admin alert when a sale takes a product's stock down to the threshold or
 * to zero: compared with what was left before this claim, so a run of sales
 * crosses each line once (4 → 3 alerts, 3 → 2 does not, 2 → 0 alerts). Queued
 * in the sale's transaction: a rolled-back sale never alerts.
 */
export async function alertLowStock(deps: AppDeps, r: Repos, product: { productId: string; code: string; name: string }, claim: Claimed, qty: number): Promise<void> {
  const before = claim.left + qty;
  const threshold = deps.settings.lowStockThreshold;
  const crossed = claim.left === 0 ? before > 0 : threshold > 0 && before > threshold && claim.left <= threshold;
  if (crossed) await notifyAdmins(deps, r, deps.texts.adminLowStock(product.code, product.name, claim.left));
}

export async function notifyAdmins(deps: AppDeps, r: Repos, text: string, orderId?: string): Promise<void> {
  for (const admin of deps.settings.adminNumbers) {
    await r.outbox.enqueue({ to: admin, text, kind: 'notice', orderId: orderId ?? null });
  }
}
