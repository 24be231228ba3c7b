import type { Rupiah } from './money.js';

/** Buyers have a role (default `member`); a product may price a role differently. */
export const DEFAULT_ROLE = 'member';
export const ROLE_FORMAT = /^[a-z0-9_-]{1,20}$/;

/** The price a buyer of `role` pays: the role's own price, else the base price. */
export function priceFor(product: { price: Rupiah; prices: Readonly<Record<string, Rupiah>> }, role: string): Rupiah {
  return product.prices[role] ?? product.price;
}

/** The smallest total a voucher may leave (and above Midtrans' minimum for every method). */
export const MIN_TOTAL: Rupiah = 1_000;

/** A voucher's discount: a whole percentage or an amount in rupiah. */
export type Discount = { percent: number } | { amount: Rupiah };

/**
 * What a voucher takes off `subtotal`: a percentage rounds down to whole rupiah,
 * and no discount leaves less than MIN_TOTAL (0 when the subtotal is already there).
 */
export function discountOn(subtotal: Rupiah, d: Discount): Rupiah {
  const wanted = 'percent' in d ? Math.floor((subtotal * d.percent) / 100) : d.amount;
  return Math.max(0, Math.min(wanted, subtotal - MIN_TOTAL));
}

/** `10%` or `5000` / `Rp5.000` as typed by an admin; null when it is neither. */
export function parseDiscount(text: string, parseAmount: (t: string) => Rupiah | null): Discount | null {
  const pct = /^(\d{1,3})%$/.exec(text.trim());
  if (pct) {
    const percent = Number(pct[1]);
    return percent >= 1 && percent <= 100 ? { percent } : null;
  }
  const amount = parseAmount(text);
  return amount === null ? null : { amount };
}
