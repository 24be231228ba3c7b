import { parseWibDay } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import type { Order, SalesReport, StoreStats, SupplierOrder, WarrantyClaim } from './ports.js';

export type Period = 'today' | '7d' | '30d';

/** Where a period starts; "today" is the calendar day in WIB, where the buyers are. */
export function periodStart(period: Period, now: Date): Date {
  if (period === '7d') return new Date(now.getTime() - 7 * 86_400_000);
  if (period === '30d') return new Date(now.getTime() - 30 * 86_400_000);
  const wib = new Date(now.getTime() + 7 * 3_600_000);
  return new Date(Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate()) - 7 * 3_600_000);
}

export async function salesRecap(deps: AppDeps, periodText: string | undefined): Promise<SalesReport & { period: Period }> {
  const period = (periodText ?? 'today').toLowerCase();
  if (period !== 'today' && period !== '7d' && period !== '30d') throw new DomainError('INVALID_INPUT', { command: 'rekap' });
  return { period, ...(await deps.store.autocommit.reports.sales(periodStart(period, deps.clock.now()))) };
}

export const storeStats = (deps: AppDeps): Promise<StoreStats> => deps.store.autocommit.reports.stats();

/**
 * `.broadcast TEXT`: to buyers who wrote within the last 24 hours only (WhatsApp
 * allows free-form messages in that window; writing to others gets numbers
 * banned), through the outbox, so the pacer spaces them out.
 */
export async function broadcast(deps: AppDeps, text: string): Promise<number> {
  const body = text.trim();
  if (!body || body.length > 4000) throw new DomainError('INVALID_INPUT', { command: 'broadcast' });
  const admins = new Set(deps.settings.adminNumbers);
  const recipients = (await deps.store.autocommit.users.seenWithin(24)).filter((n) => !admins.has(n));
  await deps.store.transaction(async (r) => {
    for (const to of recipients) await r.outbox.enqueue({ to, text: body, kind: 'notice' });
  });
  return recipients.length;
}

/** What waits for the seller's decision or hand, for the dashboard's home. */
export interface Attention {
  review: Order[];
  reversed: Order[];
  /** Top-ups without the supplier's final word for more than 30 minutes. */
  stuckTopups: SupplierOrder[];
  deadLetters: { recipient: string; body: string; error: string; at: Date }[];
  lowStock: { code: string; name: string; available: number }[];
  /** Warranty claims waiting for an admin's answer. */
  claims: WarrantyClaim[];
  /** Paid orders waiting for an admin to deliver them by hand (`.kirim`). */
  byHand: Order[];
}

export async function needsAttention(deps: AppDeps, lowStockAt: number): Promise<Attention> {
  const r = deps.store.autocommit;
  const now = deps.clock.now().getTime();
  const [review, reversed, topups, deadLetters, stock, claims, byHand] = await Promise.all([
    r.reports.heldForReview(20),
    r.orders.reversed(20),
    r.supplier.stuck(new Date(now - 30 * 60_000), 20),
    r.reports.deadLetters(10),
    r.reports.lowStock(lowStockAt, 30),
    r.claims.listOpen(20),
    r.orders.waitingByHand(20),
  ]);
  return {
    review,
    reversed: reversed.filter((o) => o.owed > 0 || now - o.createdAt.getTime() < 30 * 86_400_000),
    stuckTopups: topups,
    deadLetters,
    lowStock: stock,
    claims,
    byHand,
  };
}

/** The recap of a chosen range of WIB days, `from` to `to` inclusive (`YYYY-MM-DD`); at most a year. */
export async function salesBetween(deps: AppDeps, from: string, to: string): Promise<SalesReport> {
  const start = parseWibDay(from);
  const last = parseWibDay(to);
  const end = last && new Date(last.getTime() + 86_400_000);
  if (!start || !end || end <= start || end.getTime() - start.getTime() > 366 * 86_400_000) {
    throw new DomainError('INVALID_INPUT', { command: 'rekap' });
  }
  return deps.store.autocommit.reports.sales(start, end);
}

/** Who a broadcast would reach now: buyers who wrote within 24 hours (WhatsApp's window), admins aside. */
export async function broadcastAudience(deps: AppDeps): Promise<number> {
  const admins = new Set(deps.settings.adminNumbers);
  return (await deps.store.autocommit.users.seenWithin(24)).filter((n) => !admins.has(n)).length;
}
