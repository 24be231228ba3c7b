import type { Rupiah } from '../../domain/money.js';
import type { DeliveryReceipt } from './ops.js';
import type { Order, User } from './records.js';
import type { CsvValue } from '../../domain/csv.js';

/* The reads behind the recaps, the dashboard's lists and its home page. */

export interface SalesReport {
  orders: number;
  revenue: Rupiah;
  /** The part of the revenue whose cost is known (top-ups: the supplier's price). */
  costedRevenue: Rupiah;
  /** That part's profit: its revenue less its cost. */
  profit: Rupiah;
  /** `profit` null when the cost of some of its orders is unknown. */
  top: { code: string; name: string; qty: number; revenue: Rupiah; profit: Rupiah | null }[];
  /** Referral commissions paid in the period (net of what was taken back). */
  commissions?: { count: number; amount: Rupiah };
}

export interface StoreStats {
  users: number;
  activeUsers24h: number;
  products: number;
  availableItems: number;
  pendingOrders: number;
  balances: Rupiah;
}

export interface StockCount {
  code: string;
  name: string;
  active: boolean;
  available: number;
  reserved: number;
  sold: number;
  /** A top-up (a supplier SKU): no stock of its own. */
  topup: boolean;
}

export interface OrderFilter {
  status?: string;
  waId?: string;
  from?: Date;
  to?: Date;
  /** One order by its public id. */
  publicId?: string;
  /** Orders of one product, by its code. */
  productCode?: string;
  /** Keyset paging, newest first: only orders older than this internal id. */
  beforeId?: string;
}

export interface PaymentEventRow {
  receivedAt: Date;
  transactionStatus: string;
  outcome: string | null;
  flag: string | null;
  appliedAt: Date | null;
}

/** Read-only figures and lists for admins (chat commands and the dashboard). */
export interface ReportRepo {
  /** Purchases paid since `since` (and before `until`; delivered or refunded after delivery count as sold). */
  sales(since: Date, until?: Date): Promise<SalesReport>;
  stats(): Promise<StoreStats>;
  /** Sold purchases per WIB day (`YYYY-MM-DD`), only days with sales. */
  dailyRevenue(days: number): Promise<{ day: string; revenue: Rupiah; orders: number }[]>;
  newBuyersSince(since: Date): Promise<number>;
  /** Items per state for every product, or only those `codes`. */
  stockCounts(codes?: readonly string[]): Promise<StockCount[]>;
  /** Active stock products with at most `atMost` items available (from the product's counters, not a count of items), fewest first. */
  lowStock(atMost: number, limit: number): Promise<{ code: string; name: string; available: number }[]>;
  orders(filter: OrderFilter, limit: number): Promise<Order[]>;
  paymentEvents(orderId: string): Promise<PaymentEventRow[]>;
  /** Pending orders held for the payment provider's fraud review, oldest first. */
  heldForReview(limit: number): Promise<Order[]>;
  /** Messages given up on in the last week, newest first, with why (the dashboard shows them: a notice outside 24 hours must not vanish). Back-in-stock notices are counted apart (WishRepo.notices). */
  deadLetters(limit: number): Promise<{ recipient: string; body: string; error: string; at: Date }[]>;
  /** The order's goods messages and what WhatsApp said of them: proof for a dispute. */
  deliveryReceipts(orderId: string): Promise<DeliveryReceipt[]>;
  /** Buyers by number prefix or name, the most recently active first; `offset` pages on. */
  buyers(query: string, limit: number, offset?: number): Promise<User[]>;
  /** Orders for the CSV, in id order after `afterId` (keyset paging). */
  ordersExport(filter: ExportFilter, afterId: string, limit: number): Promise<ExportPage>;
  ledgerExport(afterId: string, limit: number): Promise<ExportPage>;
}

/** Dashboard sessions: alive while their row is, so a logout ends one in every process. */

/** What the orders CSV covers: the dashboard list's filter (its paging aside). */
export type ExportFilter = Omit<OrderFilter, 'beforeId'>;

/** A page of a CSV download: rows of cells, and where the next page starts (null: the end). */
export interface ExportPage {
  rows: CsvValue[][];
  lastId: string | null;
}
