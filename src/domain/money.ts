/** Money is integer rupiah everywhere. These helpers format and parse it. */

export type Rupiah = number;

/** `10000` → `Rp10.000` (Indonesian thousands separator, no decimals). */
export function formatRupiah(amount: Rupiah): string {
  const sign = amount < 0 ? '-' : '';
  const digits = Math.abs(Math.trunc(amount)).toString();
  return `${sign}Rp${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

/** Largest amount we accept in one command: keeps totals far from bigint/JS limits. */
export const MAX_AMOUNT: Rupiah = 100_000_000;
/** The smallest deposit: below it a payment link costs more in fees than it brings (and some channels refuse it). */
export const MIN_DEPOSIT: Rupiah = 5_000;

/**
 * Parses what a person types as an amount: `25000`, `25.000`, `Rp25.000`.
 * Returns null for anything that is not a positive whole number of rupiah.
 */
export function parseRupiah(text: string): Rupiah | null {
  const cleaned = text.trim().replace(/^rp\.?\s*/i, '');
  if (!/^\d{1,3}(\.\d{3})+$|^\d+$/.test(cleaned)) return null;
  const value = Number(cleaned.replace(/\./g, ''));
  if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT) return null;
  return value;
}
