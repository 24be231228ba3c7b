import type { User } from './records.js';

/* The ports of what a store does beyond the sale itself: back-in-stock wishes, warranty claims, referrals. */
/** Buyers waiting for a product to be back (`.notify CODE`). */
export interface WishRepo {
  /** Records the wish (a repeat renews it); false when the buyer already holds `max` live wishes for other products. */
  add(waId: string, productId: string, expiresAt: Date, max: number): Promise<boolean>;
  /** The buyer's live wishes, oldest first. */
  list(waId: string): Promise<{ code: string; name: string; createdAt: Date; expiresAt: Date }[]>;
  /** Drops one; false when there was none. */
  drop(waId: string, productId: string): Promise<boolean>;
  /** Takes (deletes) the live wishes for a product: the buyers to tell, once. Expired ones go too. */
  takeFor(productId: string): Promise<string[]>;
  /** Products some live wish waits for, among the top-ups (their availability comes from the supplier). */
  wishedTopups(): Promise<string[]>;
  /** Products with live wishes and how many buyers wait for each, most awaited first (the dashboard). */
  waiting(limit: number): Promise<{ code: string; name: string; buyers: number }[]>;
  /** Back-in-stock notices queued since `since`: sent, skipped (outside the 24-hour window, no template) and still queued. */
  notices(since: Date): Promise<{ sent: number; skipped: number; queued: number }>;
}

export type ClaimStatus = 'open' | 'replaced' | 'rejected' | 'refunded';

export interface WarrantyClaim {
  claimId: string;
  orderId: string;
  publicId: string;
  waId: string;
  productId: string | null;
  productCode: string | null;
  productName: string | null;
  reason: string;
  status: ClaimStatus;
  answer: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

/** Warranty claims on delivered stock orders (`.klaim`, `.ganti`, `.tolak`). */
export interface ClaimRepo {
  /** Opens a claim; false when the order has an open one already. */
  open(orderId: string, reason: string): Promise<boolean>;
  /** The order's open claim, row-locked for the rest of the transaction. */
  lockOpen(orderId: string): Promise<WarrantyClaim | null>;
  /** Closes an open claim (`replaced` also counts the order's replacement). */
  close(claimId: string, status: Exclude<ClaimStatus, 'open'>, by: string, answer: string | null): Promise<void>;
  /** Open claims, oldest first (the dashboard's Klaim page). */
  listOpen(limit: number): Promise<WarrantyClaim[]>;
  /** An order's warranty: its product's days (0: none) and when it was delivered. */
  warrantyOf(orderId: string): Promise<{ days: number; deliveredAt: Date | null }>;
  /** `.setgaransi CODE DAYS`; false when no such product. */
  setWarranty(code: string, days: number): Promise<boolean>;
}

/** Referral: codes, who referred whom, and the commissions paid and taken back. */
export interface ReferralRepo {
  /** The buyer's code, set once (false when `code` is taken: try another). */
  setCode(userId: string, code: string): Promise<boolean>;
  /** The user a code belongs to. */
  byCode(code: string): Promise<User | null>;
  /** Who referred `userId`, then who referred them, … (at most `depth`). */
  chain(userId: string, depth: number): Promise<string[]>;
  /** Joins once: false when the buyer was referred already. */
  join(userId: string, referrerId: string): Promise<boolean>;
  /** Whether the buyer has a delivered purchase. */
  hasDelivered(userId: string): Promise<boolean>;
  /** What a referrer earned (net of what was taken back) and how many buyers they referred. */
  stats(userId: string): Promise<{ earned: number; referred: number; commissions: number }>;
  /** Delivered purchases of referred buyers with no commission yet. */
  due(limit: number): Promise<{ orderId: string; publicId: string; total: number; referrerId: string }[]>;
  /** Records the commission (false when the order has one already). */
  record(orderId: string, referrerId: string, percent: number, amount: number): Promise<boolean>;
  /** Commissions whose purchase was refunded or reversed and not taken back yet, locked. */
  dueBack(limit: number): Promise<{ orderId: string; publicId: string; referrerId: string; amount: number }[]>;
  markTakenBack(orderId: string, taken: number, owed: number): Promise<void>;
  /** Buyers who referred someone, the most earning first (the dashboard's referral page). */
  referrers(limit: number): Promise<Referrer[]>;
  /** The latest commissions, newest first. */
  recent(limit: number): Promise<Commission[]>;
  /** The buyers who joined through a code most recently, newest first. */
  joined(limit: number): Promise<{ waId: string; name: string; referrer: string; at: Date }[]>;
}

export interface Referrer {
  waId: string;
  name: string;
  code: string | null;
  referred: number;
  /** Referred buyers with a delivered purchase. */
  buying: number;
  /** Net of what was taken back and what is owed. */
  earned: number;
  owed: number;
}

export interface Commission {
  publicId: string;
  referrer: string;
  buyer: string;
  amount: number;
  percent: number;
  takenBack: number | null;
  owed: number;
  createdAt: Date;
}
