import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import type { SalesReport, StoreStats } from './ports.js';

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
  return { period, ...(await deps.store.direct.reports.sales(periodStart(period, deps.clock.now()))) };
}

export const storeStats = (deps: AppDeps): Promise<StoreStats> => deps.store.direct.reports.stats();

/**
 * `.broadcast TEXT`: to buyers who wrote within the last 24 hours only (WhatsApp
 * allows free-form messages in that window; writing to others gets numbers
 * banned), through the outbox, so the pacer spaces them out.
 */
export async function broadcast(deps: AppDeps, text: string): Promise<number> {
  const body = text.trim();
  if (!body || body.length > 4000) throw new DomainError('INVALID_INPUT', { command: 'broadcast' });
  const admins = new Set(deps.settings.adminNumbers);
  const recipients = (await deps.store.direct.users.seenWithin(24)).filter((n) => !admins.has(n));
  await deps.store.transaction(async (r) => {
    for (const to of recipients) await r.outbox.enqueue({ to, text: body, kind: 'notice' });
  });
  return recipients.length;
}
