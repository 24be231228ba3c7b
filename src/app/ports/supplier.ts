import type { Rupiah } from '../../domain/money.js';
import type { Product } from './records.js';
import type { MeterCheck, SupplierOutcome } from '../../domain/topup.js';

/* The supplier that fulfils top-ups on demand (Digiflazz first). */

export interface TopupRequest {
  /** Our order's public id: the supplier's idempotency and status key. */
  refId: string;
  sku: string;
  customerNo: string;
  /** The cost the top-up was sold at: a seller who raised the price fails the order instead of selling at a loss. */
  maxPrice: Rupiah;
  /** A postpaid bill: paid (`pay-pasca`) under its inquiry's ref_id, and checked with `status-pasca`. */
  postpaid?: boolean;
  /** The supplier's own id for the transaction, once an answer gave it (VIP-Reseller's trxid). */
  supplierRef?: string | null;
  /** How many of `customerNo`'s last digits are a game's zone (a supplier that takes the zone apart). */
  zoneLength?: number | null;
  /** When the order was handed over (a supplier without our reference is reconciled by time). */
  placedAt?: Date;
}

/** What the supplier says a customer owes on a postpaid product (`inq-pasca`). */
export type BillInquiry =
  | {
      outcome: 'bill';
      customerName: string;
      /** The periods billed, as the supplier writes them (`202611`). */
      periods: string[];
      /** What the bills come to, fines included, before the admin fee. */
      bill: Rupiah;
      admin: Rupiah;
      /** What paying it costs the store at the supplier: the amount kedai charges on top of its fee. */
      price: Rupiah;
    }
  /** No bill to pay (rc 60 "Tagihan belum tersedia", a wrong number …): nothing is charged. */
  | { outcome: 'none'; rc: string | null; message: string }
  /** The supplier could not be asked (a timeout, a 5xx, its account): try again later. */
  | { outcome: 'unknown'; message: string };

/** A supplier's answer. `unknown`: a timeout, a 5xx, an unreadable body; never a failure. */
export interface SupplierReply {
  outcome: SupplierOutcome;
  /**
   * A `failed` that refused this request before any transaction was looked up or made
   * (Digiflazz: "Terbentuk Transaksi = Tidak"). Final on the first call (nothing was
   * bought); on a re-check it says nothing about the transaction (the app keeps asking).
   */
  refused?: boolean;
  rc: string | null;
  message: string;
  sn: string | null;
  /** What the supplier charged, when it said. */
  price: Rupiah | null;
  /** The deposit left after it, when it said. */
  balance: Rupiah | null;
  /** The answer as received, minus what buyers must never see (the seller's contacts). */
  raw: unknown;
  /** The supplier's own id for this transaction, when the answer names one (kept for its re-checks). */
  supplierRef?: string | null;
}

export interface SupplierPrice {
  sku: string;
  name: string;
  category: string;
  brand: string;
  cost: Rupiah;
  active: boolean;
  cutOffStart: string;
  cutOffEnd: string;
  multi: boolean;
  description: string;
  /** From the postpaid list (`cmd: pasca`): a bill product; its cost is 0, the bill decides. */
  postpaid?: boolean;
  /** A postpaid product's admin fee. */
  admin?: Rupiah;
}

/**
 * The supplier port. One adapter per supplier (Digiflazz; VIP-Reseller would be
 * another: its order call returns its own id, kept as the reply's raw, and its
 * status call differs, which `check` hides).
 */
export interface Supplier {
  readonly name: string;
  /** The SKUs it sells start with this (`vip:`; Digiflazz's have none): its price list's SKUs carry it. */
  readonly skuPrefix: string;
  /** Seconds between status checks of an unsettled order, by check (the last repeats hourly); the default is a minute and more. */
  readonly recheckSeconds?: readonly number[];
  /** Places the order; never throws: a fault is an `unknown` reply. */
  order(req: TopupRequest): Promise<SupplierReply>;
  /** Asks for the order's state without ordering again (Digiflazz: the same ref_id re-sent). */
  check(req: TopupRequest): Promise<SupplierReply>;
  /** The whole prepaid price list; `rate_limited` when the supplier refuses (Digiflazz rc 83). Throws on faults. */
  priceList(): Promise<SupplierPrice[] | 'rate_limited'>;
  /** The deposit at the supplier. Throws on faults. */
  balance(): Promise<Rupiah>;
  /** Whether a PLN meter exists, asked before a token is paid for; null when it cannot be told (never throws). */
  checkMeter?(meter: string): Promise<MeterCheck>;
  /** The player a game ID (and zone) belongs to, in `game` (the supplier's slug); null when it cannot be told (never throws). */
  checkGameId?(game: string, id: string, zone: string): Promise<GameIdCheck>;
  /** What a customer owes on a postpaid product, under a new ref_id that the payment reuses (never throws). */
  inquireBill?(req: { refId: string; sku: string; customerNo: string }): Promise<BillInquiry>;
}


/** Every supplier configured, and which one sells a SKU or placed an order. */
export interface Suppliers {
  readonly all: readonly Supplier[];
  /** The supplier whose SKUs start like this one; null when it is not configured. */
  forSku(sku: string): Supplier | null;
  byName(name: string): Supplier | null;
}

export type SupplierOrderStatus = 'queued' | 'pending' | 'unknown' | 'success' | 'failed';

/** A paid top-up as handed to the supplier (one per order; `refId` = the order's public id). */
export interface SupplierOrder {
  orderId: string;
  refId: string;
  supplier: string;
  sku: string;
  customerNo: string;
  maxPrice: Rupiah;
  /** A postpaid bill (pay-pasca, status-pasca). */
  postpaid: boolean;
  /** 1: the order's supplier; 2: its backup, after the first failed. */
  attempt: number;
  /** The supplier's own id for it, once known. */
  supplierRef: string | null;
  /** The order's game zone length (from the order). */
  zoneLength: number | null;
  status: SupplierOrderStatus;
  rc: string | null;
  message: string | null;
  sn: string | null;
  price: Rupiah | null;
  /** Calls made so far (the first order and each re-check). */
  attempts: number;
  /** A call was started before this one (set when a call is leased, before it is made): the next call is a re-check. */
  sentBefore: boolean;
  /** The buyer was told "paid, being processed" (at most once). */
  processingTold: boolean;
  createdAt: Date;
  nextCheckAt: Date | null;
  escalatedAt: Date | null;
}

/** The supplier side of the store: top-ups handed over, the synced price list, the account. */
export interface SupplierRepo {
  /**
   * Hands a paid top-up over, due at once; the primary key refuses a second one for the order,
   * and the database one whose supplier, SKU or max_price is not what the order was sold as.
   */
  create(o: { orderId: string; supplier: string; refId: string; sku: string; customerNo: string; maxPrice: Rupiah; postpaid: boolean; attempt?: number }): Promise<void>;
  /**
   * Leases up to `limit` top-ups due for a call (never sent, or a re-check due), oldest first,
   * and marks each sent before the call is made (`sentBefore` is the state before this lease).
   */
  claimDue(limit: number, leaseSeconds: number): Promise<SupplierOrder[]>;
  /** Marks the buyer told "being processed"; false when they were already, or the top-up is settled. */
  markProcessingTold(refId: string): Promise<boolean>;
  /** Open top-ups handed over more than `olderThanMs` ago whose buyer was not told anything yet. */
  untold(olderThanMs: number, limit: number): Promise<string[]>;
  /**
   * A hint that an open top-up may have settled (an unsigned callback): its next re-check is
   * brought to now, but never sooner than `minGapSeconds` after the last call. False when no
   * open top-up has that ref_id.
   */
  recheckSoon(refId: string, minGapSeconds: number): Promise<boolean>;
  /** True (and recorded) when the admins were not told of `key` within `everySeconds`: alerts that must not repeat per top-up. */
  alertDue(supplier: string, key: string, everySeconds: number): Promise<boolean>;
  /** The ref_id of the supplier order the supplier knows by its own id (a callback names only that). */
  refOf(supplier: string, supplierRef: string): Promise<string | null>;
  /** The top-up, row-locked for the rest of the transaction. */
  lock(refId: string): Promise<SupplierOrder | null>;
  find(refId: string): Promise<SupplierOrder | null>;
  /** Records an answer; a final status is written once (the database refuses to change it). */
  record(
    refId: string,
    r: { status: SupplierOrderStatus; rc: string | null; message: string; sn: string | null; price: Rupiah | null; reply: unknown; nextCheckAt: Date | null; called: boolean; supplierRef?: string | null },
  ): Promise<void>;
  /** Open top-ups older than `hours` that no admin was told about yet; marks them told. */
  escalate(hours: number): Promise<SupplierOrder[]>;
  /** Newest first, for the dashboard (a page: skip `offset`). */
  recent(limit: number, offset?: number): Promise<SupplierOrder[]>;
  /** Open top-ups handed over before `olderThan`, oldest first: what waits too long for the supplier. */
  stuck(olderThan: Date, limit: number): Promise<SupplierOrder[]>;
  /** The synced entry of a SKU, or null. */
  price(sku: string): Promise<SupplierPrice | null>;
  /** Replaces the supplier's price list; returns the top-up products whose cost now exceeds a selling price that covered it before. */
  replacePrices(supplier: string, list: readonly SupplierPrice[]): Promise<{ code: string; name: string; cost: Rupiah; price: Rupiah }[]>;
  /** Takes the price-list sync if it is due (a lease across processes, at most once per `minSeconds`). */
  takeSync(supplier: string, minSeconds: number): Promise<boolean>;
  /** Records the sync's end: `error` null = synced now; `retryInSeconds` moves the next sync. */
  syncDone(supplier: string, error: string | null, retryInSeconds: number): Promise<void>;
  /** Records the deposit; true when it crossed below `low` (alert once until it recovers). */
  setBalance(supplier: string, balance: Rupiah, low: Rupiah): Promise<boolean>;
  state(supplier: string): Promise<SupplierState>;
  setSku(code: string, sku: string | null, backup: string | null): Promise<Product | null>;
  /** The game a product's IDs are checked in (null: the supplier's name); null when no such product. */
  setCheckGame(code: string, game: string | null): Promise<Product | null>;
}

export interface SupplierState {
  balance: Rupiah | null;
  balanceAt: Date | null;
  syncedAt: Date | null;
  syncError: string | null;
  skus: number;
  /** Top-ups waiting for the supplier's final word. */
  open: number;
}

/** Supplier callbacks (signature verified), kept before the 200 and applied by a worker. */
export interface SupplierCallbacks {
  /** false when the same callback was stored before. */
  store(e: { supplier: string; refId: string; body: unknown; digest: string }): Promise<boolean>;
  claim(limit: number, leaseSeconds: number): Promise<{ eventId: string; supplier: string; refId: string; body: unknown; attempts: number }[]>;
  markApplied(eventId: string, outcome: string): Promise<void>;
  retryLater(eventId: string, error: string, inSeconds: number): Promise<void>;
}

/** What a buyer is asked to confirm with `.ya` (10 minutes): a bill as the supplier gave it. */
export interface Confirmation {
  waId: string;
  kind: 'bill' | 'topup';
  productCode: string;
  target: string;
  targetZoneLength: number | null;
  /** The bill's inquiry ref_id: its payment reuses it, and it becomes the order's id (null for a top-up). */
  refId: string | null;
  supplier: string;
  sku: string;
  /** What the supplier charges. */
  cost: Rupiah;
  /** What the buyer pays: the supplier's charge and the store's fee. */
  total: Rupiah;
  bill?: { customerName: string; periods: string[]; bill: Rupiah; admin: Rupiah; fee: Rupiah };
  /** A top-up to a checked destination: what the supplier said of it (null: it could not be asked), and how it is paid. */
  topup?: { what: 'game' | 'meter'; owner: string | null; segment: string; mode: 'auto' | 'gateway'; voucher: string | null; productName: string };
  expiresAt: Date;
}

/** What a supplier says of a game ID before a top-up (its player's name); null when it cannot be told. */
export type GameIdCheck = { found: true; name: string } | { found: false; message: string } | null;

export interface ConfirmationRepo {
  /** Asks the buyer to confirm this (a newer question replaces an older one). */
  put(c: Confirmation): Promise<void>;
  /** The buyer's question, taken (gone once the transaction commits); null when there is none or it expired. */
  take(waId: string): Promise<Confirmation | null>;
  /** The buyer's live question, left in place. */
  peek(waId: string): Promise<Confirmation | null>;
  /** Drops the buyer's question: the one dropped, or null when there was none (or it had expired). */
  drop(waId: string): Promise<Confirmation | null>;
}
