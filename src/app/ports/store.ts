import type { Rupiah } from '../../domain/money.js';
import type { OrderStatus } from '../../domain/order.js';
import type { Discount } from '../../domain/pricing.js';
import type { ConfirmationRepo, SupplierRepo } from './supplier.js';
import type { ClaimRepo, ReferralRepo, WishRepo } from './selling.js';
import type { ReportRepo } from './reports.js';
import type { CategoryCount, NewOrder, Order, Product, ProductWithStock, StockItem, User, Voucher } from './records.js';

/* The store: one repository per table family, and transactions over them. */

export interface VoucherRepo {
  find(code: string): Promise<Voucher | null>;
  /** null when the code exists already (even deleted: a code is never reused). */
  create(v: { code: string; discount: Discount; maxUses: number | null; expiresAt: Date | null }): Promise<Voucher | null>;
  deactivate(code: string): Promise<boolean>;
  list(): Promise<Voucher[]>;
  /** Active vouchers by code, a page at a time, with how many there are (0 past the last page). */
  page(offset: number, limit: number): Promise<{ vouchers: Voucher[]; total: number }>;
  /** Whether the buyer holds a use of it that was not given back. */
  usedBy(voucherId: string, userId: string): Promise<boolean>;
  /**
   * Takes one use for the order. The database refuses it past max_uses
   * (VOUCHER_USED_UP), a second time for one buyer (VOUCHER_ALREADY_USED) and
   * once inactive or expired (VOUCHER_EXPIRED); the error rolls the order back.
   */
  take(voucherId: string, userId: string, orderId: string): Promise<void>;
}

export type LedgerKind = 'deposit' | 'purchase' | 'adjustment' | 'refund' | 'reversal' | 'commission' | 'commission_back';

/** A gateway notification as received (signature already verified). */
export interface PaymentEventRecord {
  gateway: string;
  orderRef: string; // the public order id the gateway knows
  transactionId: string;
  transactionStatus: string;
  fraudStatus: string | null;
  grossAmount: string;
  raw: unknown;
}

export interface PaymentEvent extends PaymentEventRecord {
  eventId: string;
  attempts: number;
}

export type EventFlag = 'unknown_order' | 'amount_mismatch' | 'unconfirmed';

export interface UserRepo {
  /** Creates the user on first contact; refreshes the display name. */
  upsert(waId: string, name: string): Promise<User>;
  find(waId: string): Promise<User | null>;
  /** Row lock for the rest of the transaction: serialises one buyer's money moves. */
  lock(userId: string): Promise<User>;
  setRole(waId: string, role: string): Promise<void>;
  setBlocked(waId: string, blocked: boolean): Promise<void>;
  /** Holds the buyer's purchases until an admin releases them (a reversed payment). */
  hold(userId: string, reason: string): Promise<void>;
  /** Releases a hold; false when there was none. */
  release(waId: string): Promise<boolean>;
  /** Records that the user wrote now (bounds broadcasts to people who wrote within 24 h). */
  touchSeen(waId: string, name: string): Promise<void>;
  /** Numbers of unblocked users who wrote within the last `hours`. */
  seenWithin(hours: number): Promise<string[]>;
}

export interface ProductRepo {
  listActive(): Promise<ProductWithStock[]>;
  /** Products taken off sale, the most recently changed first (to bring one back). */
  listInactive(limit: number): Promise<Product[]>;
  /** Puts a product taken off sale back on sale, as it was (its stock, prices and SKU kept); null when there is none by that code. */
  reactivate(code: string): Promise<Product | null>;
  /** The active top-up products (those with a supplier SKU) by code, a page at a time. */
  topups(offset: number, limit: number): Promise<{ products: ProductWithStock[]; total: number }>;
  /** Categories of active products with their counts, by name (none last). */
  categories(): Promise<CategoryCount[]>;
  /**
   * One page of active products in catalogue order (category, then code):
   * `category` undefined = all, null = those without one; matched without case.
   */
  /** A page in catalogue order; `search` matches the start of the code or any part of the name, case-insensitively. */
  page(category: string | null | undefined, offset: number, limit: number, search?: string): Promise<{ products: ProductWithStock[]; total: number }>;
  setCategory(code: string, category: string | null): Promise<Product | null>;
  /** What a stock product costs the seller (null: unknown); orders placed from now on keep it for their profit. */
  setCost(code: string, cost: number | null): Promise<boolean>;
  findByCode(code: string): Promise<ProductWithStock | null>;
  /** The product and its role prices, without counting stock: the buy path's cheap lookup. */
  findForSale(code: string): Promise<ProductWithStock | null>;
  insert(p: { code: string; name: string; price: Rupiah; description: string; category: string | null }): Promise<Product>;
  update(code: string, patch: Partial<Pick<Product, 'name' | 'price' | 'description' | 'active'>>): Promise<Product | null>;
  /** How a product is fulfilled: the detail it asks for (`.setform`), by hand (`.setmanual`); null when no such product. */
  setHandling(code: string, h: { form?: 'email' | 'text' | null; manual?: boolean }): Promise<Product | null>;
  setRolePrice(code: string, role: string, price: Rupiah): Promise<boolean>;
}

/** What a claim took, and how many items of the product are left on sale after it (exact: read under the claim's lock). */
export interface Claimed {
  items: StockItem[];
  left: number;
}

export interface StockRepo {
  /** Puts the items on sale; an item whose text is already on sale (or repeated) is skipped. Returns how many were added. */
  add(productId: string, payloads: readonly string[]): Promise<number>;
  /** Claims `qty` available items for the order, or none (`items` empty) when fewer are left. */
  reserve(productId: string, orderId: string, qty: number): Promise<Claimed>;
  markSold(orderId: string): Promise<StockItem[]>;
  /**
   * For an order already paid: claims `qty` items straight to sold and queues the
   * delivery message `before` + the items, one per line + `after`, in one statement
   * (the product's claim counter stays locked until the commit, so the fewer round
   * trips after the claim, the more buyers of one product per second). [] when sold out.
   */
  sell(productId: string, orderId: string, qty: number, message: { to: string; before: string; after: string }): Promise<Claimed>;
  release(orderId: string): Promise<number>;
  removeAvailable(productId: string, count: number | null): Promise<number>;
  itemsOf(orderId: string): Promise<StockItem[]>;
}

/** What the one-round-trip purchase came to (migration 020). */
export type QuickBuy =
  | { result: 'ok'; orderId: string; balanceAfter: Rupiah; remaining: number; productId: string; productName: string; unitPrice: Rupiah }
  | { result: 'held'; reason: string }
  | { result: 'in_progress'; orderId: string }
  | { result: 'sold_out'; available: number }
  | { result: 'unknown_product' | 'insufficient' | 'fallback' };

/** Stand-ins in a delivery text that the database replaces: the product's name, the total and the balance left. */
export interface QuickBuyTokens {
  name: string;
  total: string;
  left: string;
}

export interface OrderRepo {
  /** A paid order fulfilled by hand, delivered with the admin's message (kept as its delivery message). */
  deliverByHand(orderId: string, message: string): Promise<boolean>;
  /** Paid orders waiting to be delivered by hand for over `hours` (and not reminded within them); marks them reminded. */
  handReminders(hours: number, limit: number): Promise<Order[]>;
  /** Paid orders waiting to be delivered by hand, oldest first. */
  waitingByHand(limit: number): Promise<Order[]>;
  /**
   * `.buy` of a stock product paid from the balance, no voucher, in one statement and its
   * commit: the buyer upserted and locked, no pending order, the order, the debit, the items
   * sold and their message (`before` + items + `after`, the tokens filled in). `fallback`
   * for a top-up, `insufficient` for a balance too small: the caller takes the general path.
   */
  buyWithBalance(b: { waId: string; name: string; code: string; qty: number; publicId: string; before: string; after: string; tokens: QuickBuyTokens }): Promise<QuickBuy>;
  insert(o: NewOrder): Promise<Order>;
  findByPublicId(publicId: string): Promise<Order | null>;
  lockByPublicId(publicId: string): Promise<Order | null>;
  pendingOf(userId: string): Promise<Order | null>;
  /** A paid or delivered order sold as the SKU to `target` since `since` (a repeat a `multi:false` supplier product refuses). */
  repeatTopup(sku: string, target: string, since: Date): Promise<Order | null>;
  recentOf(userId: string, limit: number): Promise<Order[]>;
  /** Moves the order only if it is still in one of `from`; false when it was not. */
  transition(orderId: string, from: readonly OrderStatus[], to: OrderStatus): Promise<boolean>;
  setPaymentLink(orderId: string, url: string, token: string): Promise<void>;
  setPaymentQr(orderId: string, qr: string, transactionId: string): Promise<void>;
  /** Marks a pending order as held for fraud review; true only the first time. */
  markReview(orderId: string): Promise<boolean>;
  /** Moves a paid order to reversed, recording what is still owed. */
  reverse(orderId: string, from: readonly OrderStatus[], owed: Rupiah): Promise<boolean>;
  /** Leases pending gateway orders older than `olderThanS` that never got a payment link (the process died in between). */
  claimLinkless(olderThanS: number, limit: number): Promise<Order[]>;
  /** Reversed orders, newest first (the dashboard's list). */
  reversed(limit: number): Promise<Order[]>;
  /** Leases up to `limit` pending orders past their expiry (none held for review) that no process checked in the last minute. */
  claimOverdue(limit: number): Promise<Order[]>;
  /** Every pending order, oldest first (reconciliation). */
  allPending(limit: number): Promise<Order[]>;
}

export interface LedgerRepo {
  /** Appends an entry; the database applies it to the balance and refuses to go below zero. */
  append(e: { userId: string; amount: Rupiah; kind: LedgerKind; orderId?: string; note?: string }): Promise<Rupiah>;
  /** What an order credited to its buyer's balance (a deposit, a late payment's credit, a refund). */
  creditedBy(orderId: string): Promise<Rupiah>;
}

export interface PaymentEventRepo {
  /** Marks a stored event applied, once: false when it already was (another worker, a retry). */
  markApplied(eventId: string, outcome: string, orderId: string | null, flag?: EventFlag): Promise<boolean>;
}

/**
 * The durable store of payment events (Midtrans notifications, reconciled statuses). `store` is all the webhook does before answering
 * 200; a worker claims due events with a lease and applies them.
 */
export interface PaymentEvents {
  /** false when the same event was stored before (a repeated notification). */
  store(e: PaymentEventRecord): Promise<boolean>;
  claim(limit: number, leaseSeconds: number): Promise<PaymentEvent[]>;
  retryLater(eventId: string, error: string, inSeconds: number): Promise<void>;
}

export type OutboxKind = 'delivery' | 'payment_link' | 'notice' | 'restock';

export interface OutboxRepo {
  enqueue(m: { to: string; text: string; image?: string; kind: OutboxKind; orderId?: string | null }): Promise<void>;
}

/** Store settings edited by admins (key → text). */
export interface SettingsRepo {
  all(): Promise<Record<string, string>>;
  set(key: string, value: string | null): Promise<void>;
}

export interface AdminSessionRepo {
  start(sessionId: string, expiresAt: Date): Promise<void>;
  alive(sessionId: string): Promise<boolean>;
  end(sessionId: string): Promise<void>;
}

export interface Repos {
  adminSessions: AdminSessionRepo;
  reports: ReportRepo;
  settings: SettingsRepo;
  users: UserRepo;
  products: ProductRepo;
  stock: StockRepo;
  orders: OrderRepo;
  ledger: LedgerRepo;
  payments: PaymentEventRepo;
  outbox: OutboxRepo;
  vouchers: VoucherRepo;
  supplier: SupplierRepo;
  confirmations: ConfirmationRepo;
  wishes: WishRepo;
  claims: ClaimRepo;
  referrals: ReferralRepo;
}

/**
 * The storage port. `autocommit` runs each call on its own, committed at once (reads,
 * and single writes that need no company); `transaction` gives the callback
 * repositories bound to one database transaction, committed when the callback
 * returns and rolled back when it throws.
 */
export interface Store {
  autocommit: Repos;
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
}

