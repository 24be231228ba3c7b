import type { Rupiah } from './money.js';

/** Buyers have a role (default `member`); a product may price a role differently. */
export const DEFAULT_ROLE = 'member';
export const ROLE_FORMAT = /^[a-z0-9_-]{1,20}$/;

/** The price a buyer of `role` pays: the role's own price, else the base price. */
export function priceFor(product: { price: Rupiah; prices: Readonly<Record<string, Rupiah>> }, role: string): Rupiah {
  return product.prices[role] ?? product.price;
}
