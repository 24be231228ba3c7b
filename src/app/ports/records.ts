import type { Rupiah } from '../../domain/money.js';
import type { OrderKind, OrderStatus, PaymentMethod } from '../../domain/order.js';
import type { Discount } from '../../domain/pricing.js';
import type { SupplierOffer } from '../../domain/topup.js';

/* The records the store holds, as the app sees them. */

export interface User {
  userId: string;
  waId: string;
  name: string;
  role: string;
  balance: Rupiah;
  blocked: boolean;
  /** Why the buyer's purchases wait for an admin (a reversed payment), or null. */
  heldReason: string | null;
  /** The buyer's referral code, once asked for (`.referral`). */
  refCode?: string | null;
  /** Who referred this buyer (`.ref`), by user id. */
  referredBy?: string | null;
  /** When the number last wrote to the store; null if it never did (credited or set up by an admin). */
  lastSeenAt: Date | null;
}

export interface Product {
  productId: string;
  code: string;
  name: string;
  description: string;
  price: Rupiah;
  active: boolean;
  /** Optional shelf label (`Game`, `Voucher`); null = none. */
  category: string | null;
  /** A top-up: the supplier SKU that fulfils it (no stock items); null = a stock product. */
  supplierSku: string | null;
  /** `.setcek CODE GAME`: the game its IDs are checked in, over the supplier's name for it. */
  checkGame?: string | null;
  /** `.setform CODE email|text`: the detail a buyer gives with `.buy CODE DETAIL`. */
  form?: 'email' | 'text' | null;
  /** Fulfilled by hand (`.setmanual`, or a form and no stock ever added): paid orders wait for an admin's `.kirim`. */
  byHand?: boolean;
  /** Set `.setmanual`: fulfilled by hand whatever its stock. */
  manual?: boolean;
  /** `.setgaransi CODE DAYS`: the warranty of a stock product (0: none). */
  warrantyDays?: number;
}

/** A category in the catalogue's overview; `name` null = products without one. */
export interface CategoryCount {
  name: string | null;
  products: number;
}

export interface ProductWithStock extends Product {
  available: number;
  /** Prices per buyer role that differ from `price`. */
  prices: Record<string, Rupiah>;
  /** A top-up's entry in the synced price list (cost, availability, cut-off); null when none or not synced. */
  /** A top-up's backup SKU (`.setsku CODE SKU BACKUP`) and its synced cost (null when not synced). */
  backup?: { sku: string; cost: number | null; active: boolean } | null;
  offer: SupplierOffer | null;
  /** A top-up's state for buyers, set by the app where it is shown: `ok`, or why it cannot be bought now. null for stock products. */
  topup?: 'ok' | 'unavailable' | 'cut_off' | 'unsynced' | 'no_supplier' | 'price' | null;
}

export interface Order {
  orderId: string; // internal key
  publicId: string; // what buyers and Midtrans see: KD-…
  userId: string;
  waId: string;
  kind: OrderKind;
  productId: string | null;
  productCode: string | null;
  productName: string | null;
  qty: number;
  unitPrice: Rupiah;
  /** What the buyer pays: unit price × qty less `discount`. */
  total: Rupiah;
  discount: Rupiah;
  voucherCode: string | null;
  paymentMethod: PaymentMethod;
  status: OrderStatus;
  paymentUrl: string | null;
  /** QRIS payload (the text inside the QR code) for Core API QRIS orders. */
  paymentQr: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  /** Since when the payment is held for the seller's fraud review (card `challenge`), or null. */
  reviewSince: Date | null;
  /** A reversed order: what the buyer still owes after the take-back. */
  owed: Rupiah;
  /** A top-up's destination (phone, meter or game ID with zone); null for stock purchases and deposits. */
  target: string | null;
  /** The destination as the buyer wrote it: a game's zone apart, `12345678 (1234)`. */
  targetShown: string | null;
  /** What a top-up was sold as: the supplier is asked for exactly this, never more (null otherwise). */
  soldAs: SoldAs | null;
  /** The detail the buyer gave (`.setform`: an e-mail, a username). */
  detail?: string | null;
  /** Fulfilled by hand: delivered with an admin's `.kirim` message. */
  byHand?: boolean;
  /** That message, once delivered. */
  handMessage?: string | null;
}

/** A top-up's supplier, SKU and cost at the moment it was sold (the price list as synced then). */
export interface SoldAs {
  supplier: string;
  sku: string;
  cost: Rupiah;
  /** A postpaid bill: paid with its inquiry's ref_id (`pay-pasca`), not bought as a prepaid top-up. */
  postpaid?: boolean;
  /** The backup (`.setsku CODE SKU BACKUP`) as synced when sold: tried once after a definite failure. */
  backup?: { supplier: string; sku: string; cost: Rupiah };
}

export interface StockItem {
  stockItemId: string;
  payload: string;
}

export interface NewOrder {
  publicId: string;
  userId: string;
  kind: OrderKind;
  productId: string | null;
  qty: number;
  unitPrice: Rupiah;
  paymentMethod: PaymentMethod;
  expiresAt: Date | null;
  /** `paid` for a purchase paid from the balance in the same transaction; `pending` otherwise. */
  status?: 'pending' | 'paid';
  discount?: Rupiah;
  voucherCode?: string | null;
  /** A top-up's destination. */
  target?: string | null;
  /** How many of the target's last digits are a game's zone. */
  targetZoneLength?: number | null;
  /** A top-up's supplier, SKU and cost as sold. */
  soldAs?: SoldAs | null;
  detail?: string | null;
  byHand?: boolean;
}

export interface Voucher {
  voucherId: string;
  code: string;
  discount: Discount;
  maxUses: number | null;
  uses: number;
  expiresAt: Date | null;
  active: boolean;
}
