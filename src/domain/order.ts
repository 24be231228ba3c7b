import { DomainError } from './errors.js';

export const ORDER_STATUSES = ['pending', 'paid', 'delivered', 'expired', 'cancelled', 'failed', 'refunded', 'reversed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderKind = 'purchase' | 'deposit';
export type PaymentMethod = 'balance' | 'gateway';

/**
 * The order state machine, the only place it is written down. A late settlement
 * may move an expired, cancelled or failed order to paid (failed: the gateway may
 * have created the transaction although our call timed out, and a paid rupiah is
 * never lost). Only the bank moves a paid order back: a settlement that turns into
 * a deny (Permata VA, Mandiri Bill, Indomaret) is a reversal, whatever had been
 * delivered or credited by then.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'expired', 'cancelled', 'failed'],
  paid: ['delivered', 'refunded', 'reversed'],
  delivered: ['refunded', 'reversed'],
  expired: ['paid'],
  cancelled: ['paid'],
  failed: ['paid'],
  refunded: ['reversed'],
  reversed: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new DomainError('ILLEGAL_TRANSITION', { from, to });
}

/** The statuses an order may be in for a move to `to` to be legal (used in SQL guards). */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

export const MAX_QTY = 100;

/** `KD-20261123-8F3A2C`: date for humans, random suffix so ids cannot be guessed or collide. */
export function newOrderId(now: Date, randomHex: string): string {
  const y = now.getUTCFullYear();
  const m = String(now.getUTCMonth() + 1).padStart(2, '0');
  const d = String(now.getUTCDate()).padStart(2, '0');
  return `KD-${y}${m}${d}-${randomHex.slice(0, 8).toUpperCase()}`;
}

export function parseQty(text: string | undefined): number {
  if (text === undefined || text === '') return 1;
  if (!/^\d+$/.test(text)) throw new DomainError('INVALID_QTY', { max: MAX_QTY });
  const qty = Number(text);
  if (qty < 1 || qty > MAX_QTY) throw new DomainError('INVALID_QTY', { max: MAX_QTY });
  return qty;
}
