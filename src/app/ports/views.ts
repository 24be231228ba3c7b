import type { CategoryCount, ProductWithStock } from './records.js';

/* What the use cases hand to the texts to show: shaped here, below both the app and i18n/. */

/** `.produk`: the categories (too many products for one page), or a page of products. */
export type CatalogueView =
  | { kind: 'overview'; categories: CategoryCount[]; total: number }
  | { kind: 'page'; category: string | null | undefined; products: ProductWithStock[]; page: number; pages: number; total: number };

/** What `.produk [CATEGORY] [PAGE]` asked for; `category` null = products without one. */
export interface CatalogueQuery {
  category?: string | null;
  page?: number;
}

/** The store's own words (`.info`, the welcome), as the seller set them. */
export interface StoreInfo {
  name: string;
  welcome: string;
  contact: string;
  hours: string;
  payment: string;
}
