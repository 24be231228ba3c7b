import type { Supplier, Suppliers } from './ports.js';

/**
 * The suppliers a store sells through, each owning the SKUs that start with its prefix
 * (Digiflazz: none, VIP-Reseller: `vip:`): the application asks for "the supplier of this
 * SKU" or "the supplier of this order" and never names one.
 */
export function supplierSet(list: readonly (Supplier | null | undefined)[]): Suppliers {
  const all = list.filter((s): s is Supplier => Boolean(s));
  // The longest prefix wins: `vip:X` is VIP-Reseller's even though Digiflazz's empty prefix matches too.
  const byPrefix = [...all].sort((a, b) => b.skuPrefix.length - a.skuPrefix.length);
  return {
    all,
    forSku: (sku) => byPrefix.find((s) => sku.startsWith(s.skuPrefix) && (s.skuPrefix !== '' || !/^[a-z]+:/.test(sku))) ?? null,
    byName: (name) => all.find((s) => s.name === name) ?? null,
  };
}
