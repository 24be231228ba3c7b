import type { OrderKind, OrderStatus, PaymentMethod } from '../domain/order.js';
import type { Discount } from '../domain/pricing.js';
import type { Rupiah } from '../domain/money.js';

export interface User {
  userId: string;
  waId: string;
  name: string;
  role: string;
  balance: Rupiah;
  blocked: boolean;
  /** Why the buyer's purchases wait for an admin (a reversed payment), or null. */
  heldReason: string | null;
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

export interface VoucherRepo {
  find(code: string): Promise<Voucher | null>;
  /** null when the code exists already (even deleted: a code is never reused). */
  create(v: { code: string; discount: Discount; maxUses: number | null; expiresAt: Date | null }): Promise<Voucher | null>;
  deactivate(code: string): Promise<boolean>;
  list(): Promise<Voucher[]>;
  /** Whether the buyer holds a use of it that was not given back. */
  usedBy(voucherId: string, userId: string): Promise<boolean>;
  /**
   * Takes one use for the order. The database refuses it past max_uses
   * (VOUCHER_USED_UP), a second time for one buyer (VOUCHER_ALREADY_USED) and
   * once inactive or expired (VOUCHER_EXPIRED); the error rolls the order back.
   */
  take(voucherId: string, userId: string, orderId: string): Promise<void>;
}

export type LedgerKind = 'deposit' | 'purchase' | 'adjustment' | 'refund' | 'reversal';

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

export interface InboxEvent extends PaymentEventRecord {
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
  /** Categories of active products with their counts, by name (none last). */
  categories(): Promise<CategoryCount[]>;
  /**
   * One page of active products in catalogue order (category, then code):
   * `category` undefined = all, null = those without one; matched without case.
   */
  page(category: string | null | undefined, offset: number, limit: number): Promise<{ products: ProductWithStock[]; total: number }>;
  setCategory(code: string, category: string | null): Promise<Product | null>;
  findByCode(code: string): Promise<ProductWithStock | null>;
  /** The product and its role prices, without counting stock: the buy path's cheap lookup. */
  findForSale(code: string): Promise<ProductWithStock | null>;
  insert(p: { code: string; name: string; price: Rupiah; description: string; category: string | null }): Promise<Product>;
  update(code: string, patch: Partial<Pick<Product, 'name' | 'price' | 'description' | 'active'>>): Promise<Product | null>;
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

export interface OrderRepo {
  insert(o: NewOrder): Promise<Order>;
  findByPublicId(publicId: string): Promise<Order | null>;
  lockByPublicId(publicId: string): Promise<Order | null>;
  pendingOf(userId: string): Promise<Order | null>;
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
 * The durable webhook inbox. `store` is all the webhook does before answering
 * 200; a worker claims due events with a lease and applies them.
 */
export interface PaymentInbox {
  /** false when the same event was stored before (a repeated notification). */
  store(e: PaymentEventRecord): Promise<boolean>;
  claim(limit: number, leaseSeconds: number): Promise<InboxEvent[]>;
  retryLater(eventId: string, error: string, inSeconds: number): Promise<void>;
}

export type OutboxKind = 'delivery' | 'payment_link' | 'notice';

export interface OutboxRepo {
  enqueue(m: { to: string; text: string; image?: string; kind: OutboxKind; orderId?: string | null }): Promise<void>;
}

/** Store settings edited by admins (key → text). */
export interface SettingsRepo {
  all(): Promise<Record<string, string>>;
  set(key: string, value: string | null): Promise<void>;
}

export interface SalesReport {
  orders: number;
  revenue: Rupiah;
  top: { code: string; name: string; qty: number; revenue: Rupiah }[];
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
}

export interface OrderFilter {
  status?: string;
  waId?: string;
  from?: Date;
  to?: Date;
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
  /** Purchases paid since `since` (delivered or refunded after delivery count as sold). */
  sales(since: Date): Promise<SalesReport>;
  stats(): Promise<StoreStats>;
  dailyRevenue(days: number): Promise<{ day: string; revenue: Rupiah }[]>;
  newBuyersSince(since: Date): Promise<number>;
  stockCounts(): Promise<StockCount[]>;
  orders(filter: OrderFilter, limit: number): Promise<Order[]>;
  paymentEvents(orderId: string): Promise<PaymentEventRow[]>;
  /** Messages given up on in the last week, newest first, with why (the dashboard shows them: a notice outside 24 hours must not vanish). */
  deadLetters(limit: number): Promise<{ recipient: string; body: string; error: string; at: Date }[]>;
  /** The order's goods messages and what WhatsApp said of them: proof for a dispute. */
  deliveryReceipts(orderId: string): Promise<DeliveryReceipt[]>;
  buyers(query: string, limit: number): Promise<User[]>;
}

/** Dashboard sessions: alive while their row is, so a logout ends one in every process. */
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
}

/**
 * The storage port. `read` runs each call on its own; `transaction` gives the
 * callback repositories bound to one database transaction, committed when the
 * callback returns and rolled back when it throws.
 */
export interface Store {
  read: Repos;
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
}

export interface PaymentLinkRequest {
  orderId: string;
  amount: Rupiah;
  items: { id: string; name: string; price: Rupiah; quantity: number }[];
  customer: { name: string; phone: string };
  expiryMinutes: number;
  startTime: Date;
}

export interface GatewayStatus {
  orderId: string;
  transactionStatus: string;
  fraudStatus: string | null;
  grossAmount: string;
}

/**
 * The payment gateway port (Midtrans in production, the built-in sandbox in the
 * embedded mode). Calls throw on network faults and on refusals.
 */
export interface PaymentGateway {
  createLink(req: PaymentLinkRequest): Promise<{ url: string; token: string }>;
  /** A QRIS charge (Core API): the QR payload buyers scan with any e-wallet or bank app. */
  createQris(req: PaymentLinkRequest): Promise<{ qrString: string; transactionId: string }>;
  /** null when the gateway does not know the order (yet). */
  getStatus(orderId: string): Promise<GatewayStatus | null>;
  /** Cancels a transaction nobody has paid; `too_late` when the gateway refuses because the payment went through. */
  cancel(orderId: string): Promise<'cancelled' | 'too_late'>;
  /** True while calls fail fast (a circuit breaker is open); absent when the gateway has none. */
  breakerOpen?(): boolean;
}

export interface InboundMessage {
  id: string;
  from: string; // WhatsApp number, digits only
  name: string;
  text: string;
  at: Date;
  chat: string; // where replies go (the number for direct chats, the group id in a group)
  /** A message that is not text (image, sticker, voice…): the bot asks for text. */
  unsupported?: boolean;
  /** Set when `chat` is a group. */
  group?: boolean;
}

/** A send that must not be retried (WhatsApp refused it: 4xx). The outbox marks it dead at once. */
export class PermanentSendError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/**
 * WhatsApp refused a send for a reason that is not the message's (the access
 * token expired, a permission is missing): every send would fail alike, so
 * sending pauses, nothing is given up, and a probe send now and then resumes it.
 */
export class SendingBlocked extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'SendingBlocked';
  }
}

/** A rate limit or a passing fault: send again later, not before `retryInSeconds`; not the message's fault, so it is not counted against it. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryInSeconds: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Refused for being outside WhatsApp's 24-hour window (131047): final, unless it can go as an approved template. */
export class OutsideWindow extends PermanentSendError {
  constructor(message: string) {
    super(message, 400);
    this.name = 'OutsideWindow';
  }
}

export interface OutboundMessage {
  /** Always set: what transports without interactive messages send instead. */
  text: string;
  /** Send as the store's approved notice template, the text as its one parameter (outside the 24-hour window). */
  template?: boolean;
  image?: string;
  /** A tappable list (Cloud API); each row's id is the command a tap sends back. */
  list?: ListMessage;
}

/** WhatsApp's interactive list: ≤ 10 sections, ≤ 10 rows in all, titles ≤ 24, descriptions ≤ 72, ids ≤ 200, button ≤ 20. */
export interface ListMessage {
  body: string;
  button: string;
  sections: { title: string; rows: { id: string; title: string; description?: string }[] }[];
}

/**
 * A way to reach WhatsApp users. Transports deliver inbound messages to the
 * handler given to `start` and send outbound ones; the bot does not know which
 * transport runs.
 */
export interface Transport {
  readonly name: string;
  start(onMessage: (msg: InboundMessage) => Promise<void>): Promise<void>;
  /** Sends; resolves to the provider's ids of the messages it made, where the provider has them (Cloud API). */
  send(to: string, msg: OutboundMessage): Promise<string[] | void>;
  stop(): Promise<void>;
}

/**
 * Inbound messages kept from the webhook's 200 until they are handled, so a process
 * that dies in between loses nothing (Meta does not send an acknowledged message again).
 */
export interface InboundQueue {
  keep(msgs: readonly InboundMessage[]): Promise<void>;
  /** Handled (or turned away by the dedupe): it leaves the queue. */
  done(id: string): Promise<void>;
  /** Kept at least `olderThanS` ago and still not handled: to be handled again (the dedupe drops any that were). */
  stale(olderThanS: number, limit: number): Promise<InboundMessage[]>;
}

/** What WhatsApp later says of a message the outbox sent (Cloud API `statuses`). */
export interface Receipt {
  providerId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  /** For `failed`: the error, classified as a synchronous send error would be. */
  error?: Error;
}

export interface Clock {
  now(): Date;
}

/**
 * What the app reports for operators (Prometheus in production). Counting only:
 * an implementation must never throw or wait.
 */
export interface Telemetry {
  cache(name: string, hit: boolean): void;
  lock(acquired: boolean): void;
  rateLimited(kind: 'buy' | 'cmd'): void;
  error(kind: string): void;
  /** Message in → first reply queued, per command. */
  responded(command: string, seconds: number): void;
  message(direction: 'in' | 'out'): void;
}

/** The live figures of `.performa` and the console summary. */
export interface DeliveryReceipt {
  status: string;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  lastError: string | null;
}

export interface OpsReport {
  uptimeSeconds: number;
  rssMb: number;
  heapMb: number;
  messages: number;
  p95ms: number | null;
  cacheHitRatio: number | null;
  lockContention: number | null;
  rateLimited: number;
  dbMs: number | null;
  redis: 'off' | 'down' | number;
  outboxBacklog: number | null;
  /** Sending to WhatsApp paused (token or permission refused), with why and since when; null while it works. */
  sendingPaused: SendingPause | null;
}

export interface SendingPause {
  reason: string;
  since: Date;
}

export const noTelemetry: Telemetry = {
  cache: () => undefined,
  lock: () => undefined,
  rateLimited: () => undefined,
  error: () => undefined,
  responded: () => undefined,
  message: () => undefined,
};

export interface OutboxRow {
  outboxId: string;
  recipient: string;
  body: string;
  image: string | null;
  attempts: number;
  /** Goes as the approved notice template (it was refused outside the 24-hour window). */
  asTemplate?: boolean;
}

/** The dispatcher's view of the outbox: lease due rows, then settle each one. */
export interface OutboxQueue {
  claim(limit: number, leaseSeconds: number): Promise<OutboxRow[]>;
  /** Marks rows sent, each with the provider's ids of its messages (empty where the transport has none). */
  sent(rows: readonly { outboxId: string; providerIds: readonly string[] }[]): Promise<void>;
  /** The sent row a provider message id belongs to, or null. */
  sentRow(providerId: string): Promise<OutboxRow | null>;
  /** Records a `delivered` or `read` receipt (the first time of each). */
  receipt(providerId: string, status: 'delivered' | 'read', at: Date): Promise<void>;
  /** retryInSeconds null → the row is dead (given up, kept for admins). */
  failed(outboxId: string, error: string, retryInSeconds: number | null): Promise<void>;
  /** Back to the queue at once, to go as the approved template; the attempt not counted. */
  asTemplate(outboxId: string, error: string): Promise<void>;
  /** Back to the queue in `seconds`, the claim's attempt not counted (sending paused, a rate limit). */
  postpone(outboxId: string, seconds: number, error: string): Promise<void>;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/**
 * Counts hits per key in a fixed window. Redis in production (shared by every
 * kedai process); in-process when there is no Redis or it is down.
 */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
}

export type LockAttempt = { acquired: true } | { acquired: false; holder: string | null };

/**
 * The per-buyer transaction lock, taken before a purchase and released when its order leaves pending. The value is the owner:
 * a random token while a buy is in flight, then the pending order's id. Every
 * change is compare-and-set on the owner, so a late release cannot free
 * someone else's lock. A convenience in front of the database rule, never a substitute.
 */
export interface TxLock {
  acquire(key: string, owner: string, ttlMs: number): Promise<LockAttempt>;
  /** Passes the lock from `owner` to `next` with a new TTL; false when `owner` no longer holds it. */
  handOver(key: string, owner: string, next: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<boolean>;
}

/**
 * Remembers inbound message ids (Redis with a TTL, or the database), so a
 * message is handled at most once across restarts and processes.
 */
export interface InboundDedupe {
  /** true the first time an id is seen. */
  firstSeen(messageId: string): Promise<boolean>;
}

/** A small key/value cache with TTLs; values are JSON-serialisable. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /**
   * A family of values under one key (the catalogue's pages): `del(key)` drops
   * the whole family at once, whatever fields it holds. The family expires
   * `ttlMs` after its first field was written.
   */
  getField<T>(key: string, field: string): Promise<T | undefined>;
  setField(key: string, field: string, value: unknown, ttlMs: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
}
