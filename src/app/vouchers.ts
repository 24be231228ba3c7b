import { DomainError } from '../domain/errors.js';
import { discountOn, type Discount } from '../domain/pricing.js';
import type { AppDeps } from './deps.js';
import type { Repos, Voucher } from './ports.js';
import { looksLikeVoucher } from '../domain/buy-request.js';


/**
 * The voucher a buyer asked for and its discount on `subtotal`, refused with a
 * clear reason before any order exists. These checks only explain; the
 * database enforces the same rules when the use is taken (see `takeVoucher`).
 */
export async function voucherFor(deps: AppDeps, r: Repos, text: string, userId: string, subtotal: number): Promise<{ voucher: Voucher; discount: number }> {
  const code = text.toUpperCase();
  const voucher = await r.vouchers.find(code);
  if (!voucher) throw new DomainError('UNKNOWN_VOUCHER', { code });
  if (!voucher.active || (voucher.expiresAt && voucher.expiresAt <= deps.clock.now())) throw new DomainError('VOUCHER_EXPIRED', { code });
  if (voucher.maxUses !== null && voucher.uses >= voucher.maxUses) throw new DomainError('VOUCHER_USED_UP', { code });
  if (await r.vouchers.usedBy(voucher.voucherId, userId)) throw new DomainError('VOUCHER_ALREADY_USED', { code });
  const discount = discountOn(subtotal, voucher.discount);
  if (discount <= 0) throw new DomainError('VOUCHER_NOT_APPLICABLE', { code });
  return { voucher, discount };
}

/** Takes the use in the order's transaction; the database's refusal (a racing buyer took the last use) rolls the order back. */
export async function takeVoucher(r: Repos, voucher: Voucher, userId: string, orderId: string): Promise<void> {
  try {
    await r.vouchers.take(voucher.voucherId, userId, orderId);
  } catch (err) {
    if (err instanceof DomainError) throw new DomainError(err.code, { code: voucher.code });
    throw err;
  }
}

/** `.addvoucher CODE DISCOUNT [MAX_USES] [DAYS_VALID]`. */
export async function addVoucher(deps: AppDeps, v: { code: string; discount: Discount; maxUses: number | null; daysValid: number | null }): Promise<Voucher> {
  const code = v.code.toUpperCase();
  if (!looksLikeVoucher(code)) throw new DomainError('INVALID_INPUT', { command: 'addvoucher' });
  const expiresAt = v.daysValid === null ? null : new Date(deps.clock.now().getTime() + v.daysValid * 86_400_000);
  const made = await deps.store.transaction((r) => r.vouchers.create({ code, discount: v.discount, maxUses: v.maxUses, expiresAt }));
  if (!made) throw new DomainError('VOUCHER_EXISTS', { code });
  return made;
}

/** `.delvoucher CODE`: no new uses; orders that have it keep their discount. */
export async function deleteVoucher(deps: AppDeps, text: string): Promise<string> {
  const code = text.toUpperCase();
  if (!(await deps.store.transaction((r) => r.vouchers.deactivate(code)))) throw new DomainError('UNKNOWN_VOUCHER', { code });
  return code;
}

export const listVouchers = (deps: AppDeps): Promise<Voucher[]> => deps.store.autocommit.vouchers.list();
/** A page of the active vouchers (the dashboard's list). */
export const voucherPage = (deps: AppDeps, offset: number, limit: number) => deps.store.autocommit.vouchers.page(offset, limit);
