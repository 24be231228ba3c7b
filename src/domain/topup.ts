/*
 * Supplier top-ups: what a supplier's answer means, where a top-up goes, and when
 * a product can be sold. Pure functions; the protocol facts are in
 * ../shared/reference/digiflazz.md.
 */

/** A supplier's answer to an order or a status check, as kedai decides on it. */
export type SupplierOutcome = 'success' | 'pending' | 'failed' | 'unknown';

/** Why a top-up failed, in the words the buyer hears. */
export type FailureReason = 'target' | 'repeat' | 'unavailable' | 'price' | 'busy' | 'store' | 'other';

interface RcInfo {
  reason: FailureReason;
  /** The cause is the seller's (deposit, whitelist, key, account): the admins are told. */
  admin: boolean;
}

/** Digiflazz's failure codes (reference §6): what the buyer is told and whether the admins must act. */
const RC: Readonly<Record<string, RcInfo>> = {
  '01': { reason: 'busy', admin: false },
  '02': { reason: 'other', admin: false },
  '40': { reason: 'store', admin: true },
  '41': { reason: 'store', admin: true },
  '42': { reason: 'store', admin: true },
  '43': { reason: 'unavailable', admin: true },
  '44': { reason: 'store', admin: true },
  '45': { reason: 'store', admin: true },
  '47': { reason: 'store', admin: true },
  '49': { reason: 'store', admin: true },
  '50': { reason: 'other', admin: false },
  '51': { reason: 'target', admin: false },
  '52': { reason: 'target', admin: false },
  '53': { reason: 'unavailable', admin: false },
  '54': { reason: 'target', admin: false },
  '55': { reason: 'unavailable', admin: false },
  '56': { reason: 'store', admin: true },
  '57': { reason: 'target', admin: false },
  '58': { reason: 'unavailable', admin: false },
  '59': { reason: 'target', admin: false },
  '60': { reason: 'target', admin: false },
  '61': { reason: 'store', admin: true },
  '62': { reason: 'unavailable', admin: false },
  '63': { reason: 'repeat', admin: false },
  '65': { reason: 'busy', admin: false },
  '66': { reason: 'unavailable', admin: false },
  '67': { reason: 'unavailable', admin: false },
  '68': { reason: 'unavailable', admin: false },
  '69': { reason: 'price', admin: true },
  '70': { reason: 'busy', admin: false },
  '71': { reason: 'unavailable', admin: false },
  '72': { reason: 'target', admin: false },
  '73': { reason: 'target', admin: false },
  '74': { reason: 'other', admin: true },
  '80': { reason: 'store', admin: true },
  '81': { reason: 'store', admin: true },
  '82': { reason: 'store', admin: true },
  '84': { reason: 'target', admin: false },
  '85': { reason: 'busy', admin: false },
  '86': { reason: 'busy', admin: false },
  '87': { reason: 'target', admin: false },
  '88': { reason: 'store', admin: true },
};

export const failureOf = (rc: string | null | undefined): RcInfo => RC[rc ?? ''] ?? { reason: 'other', admin: false };

/** Whether kedai knows what this rc means (reference §6); an unknown one is decided by its status and reported once. */
export const knownRc = (rc: string | null | undefined): boolean => rc === '00' || rc === '03' || rc === '99' || (rc ?? '') in RC;

/**
 * "Terbentuk Transaksi = Tidak" (reference §4, §6): the request itself was refused (signature,
 * username, deposit, IP whitelist, limits) before any transaction was looked up or made. On
 * the first call that means nothing was bought; on a re-check of a live ref_id it says
 * nothing about that transaction.
 */
export function refusedBeforeTransaction(rc: string | null | undefined): boolean {
  if (!rc || !/^\d\d$/.test(rc)) return false;
  const n = Number(rc);
  return (n >= 40 && n <= 49) || n === 56 || (n >= 61 && n <= 69) || (n >= 80 && n <= 88);
}

/**
 * The decision rule (reference §6): the status first, the rc as detail. Anything
 * that is not a definite Sukses or Gagal (a missing status, rc 99) is pending, and
 * an answer that cannot be read at all is unknown: neither ever refunds.
 */
export function outcomeOf(status: unknown, rc: unknown): SupplierOutcome {
  if (status === 'Sukses') return 'success';
  if (status === 'Gagal') return 'failed';
  if (status === 'Pending' || rc === '03' || rc === '99') return 'pending';
  return 'unknown';
}

/** `""`, `N/A` and `-` are "no serial number" (reference §1). */
export function snOf(sn: unknown): string | null {
  if (typeof sn !== 'string') return null;
  const s = sn.trim();
  return s === '' || s === '-' || s.toUpperCase() === 'N/A' ? null : s;
}

const MINUTE = 60_000;
/** Re-checks after 1, 2, 5, 10 and 30 minutes, then hourly (never more often than once a minute). */
const RECHECK_MINUTES = [1, 2, 5, 10, 30];
/** Admins hear of a top-up the supplier has not settled after this long. */
export const ESCALATE_AFTER_MS = 24 * 60 * MINUTE;
/** Past 90 days a re-check creates a NEW transaction (reference §4): kedai stops well before. */
export const STOP_CHECKING_AFTER_MS = 80 * 24 * 60 * MINUTE;

/** Digiflazz asks for a minute between checks (reference §4); a supplier with no stated minimum is asked sooner. */
export const RECHECK_SECONDS_CALM: readonly number[] = RECHECK_MINUTES.map((m) => m * 60);
/** VIP-Reseller states no minimum interval: every few seconds for the first minutes, then backing off. */
export const RECHECK_SECONDS_QUICK: readonly number[] = [5, 5, 10, 10, 15, 30, 30, 60, 120, 300, 600, 1_800];

/** When to ask the supplier again after `checks` answers that settled nothing; null = stop (a person decides). */
export function nextCheckAt(createdAt: Date, checks: number, now: Date, schedule: readonly number[] = RECHECK_SECONDS_CALM): Date | null {
  const waitS = schedule[Math.max(0, checks - 1)] ?? 3_600;
  const at = new Date(now.getTime() + waitS * 1000);
  return at.getTime() - createdAt.getTime() > STOP_CHECKING_AFTER_MS ? null : at;
}

/**
 * The buyer's TUJUAN: digits, with a game's zone as `12345678(1234)` or as a second
 * word `12345678 1234` (the zone is appended, as Digiflazz expects for games; its length
 * kept so messages show it apart), and an optional voucher after. null when the words are not that.
 */
export function readTopupArgs(words: readonly string[]): { target: string; zoneLength?: number; voucher?: string } | null {
  const [first, second, third, ...more] = words;
  if (first === undefined || more.length) return null;
  const joined = /^\+?(\d{4,24})(?:\((\d{1,8})\))?$/.exec(first);
  if (!joined) return null;
  let zone = joined[2];
  let voucher: string | undefined;
  if (second !== undefined && zone === undefined && /^\d{1,8}$/.test(second)) {
    zone = second;
    voucher = third;
  } else {
    if (third !== undefined) return null;
    voucher = second;
  }
  const target = joined[1]! + (zone ?? '');
  if (target.length > 30 || (voucher !== undefined && !/^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(voucher))) return null;
  return { target, ...(zone ? { zoneLength: zone.length } : {}), ...(voucher === undefined ? {} : { voucher }) };
}

/** A destination as the buyer wrote it: a game's zone apart (`12345678 (1234)`), anything else as it is. */
export const shownTarget = (target: string, zoneLength: number | null): string =>
  zoneLength && target.length > zoneLength ? `${target.slice(0, -zoneLength)} (${target.slice(-zoneLength)})` : target;

/** What a product's destination is, by its price-list entry: checked before any payment. */
export type TargetKind = 'phone' | 'meter' | 'game' | 'other';

export function targetKindOf(category: string, brand: string): TargetKind {
  if (isPlnEntry(category, brand)) return 'meter';
  if (/^(pulsa|data|paket sms & telpon|masa aktif|e-money|aktivasi perdana|aktivasi voucher)$/i.test(category.trim())) return 'phone';
  if (/^games?$/i.test(category.trim())) return 'game';
  return 'other';
}

/** Indonesian mobile prefixes (Telkomsel, Indosat, XL, Axis, Three, Smartfren, by.U). */
const MOBILE_PREFIX = /^08(1[1-9]|2[1-3]|3[1-3]|38|5[1-35-9]|7[78]|8[1-9]|9[5-9])/;

/**
 * A destination checked for its kind before the buyer pays: a phone number by its length
 * (10–13 digits) and operator prefix (a `62…` number written as `08…`, as suppliers take it),
 * a PLN meter by its length (11 or 12 digits), a game ID by its pattern (an ID of 4–16
 * digits, its zone apart). The destination to use, or null when it cannot be one.
 */
export function checkTarget(kind: TargetKind, target: string, zoneLength: number | null): string | null {
  switch (kind) {
    case 'phone': {
      if (zoneLength) return null;
      const local = target.startsWith('62') ? `0${target.slice(2)}` : target;
      return /^08\d{8,11}$/.test(local) && MOBILE_PREFIX.test(local) ? local : null;
    }
    case 'meter':
      return !zoneLength && /^\d{11,12}$/.test(target) ? target : null;
    case 'game': {
      const id = zoneLength ? target.slice(0, -zoneLength) : target;
      return /^\d{4,16}$/.test(id) ? target : null;
    }
    case 'other':
      return target;
  }
}

/** A synced price-list entry, as far as selling decides. */
export interface SupplierOffer {
  cost: number;
  active: boolean;
  cutOffStart: string;
  cutOffEnd: string;
  /** false: the supplier serves one per destination per day (a repeat fails with rc 63). */
  multi: boolean;
  /** A PLN token: the meter is checked with the supplier before the buyer pays. */
  pln: boolean;
  /** What its destination is (a phone number, a meter, a game ID): checked before payment. */
  targetKind: TargetKind;
  /** A postpaid bill (`.tagihan`): asked for first, its cost is the bill's, not the list's. */
  postpaid: boolean;
  /** A bill's admin fee at the supplier (0 for prepaid). */
  admin: number;
  /** The supplier's brand (a game's name for game top-ups). */
  brand?: string;
}

/** The reference of an order's backup attempt at a second supplier: its own, never the first one's. */
export const backupRef = (publicId: string): string => `${publicId}-2`;
/** The order a supplier reference belongs to (the first attempt's is the order's id). */
export const orderRefOf = (ref: string): string => (/^KD-\d{8}-[0-9A-F]{8}-2$/.test(ref) ? ref.slice(0, -2) : ref);

/** How long a bill or a checked destination shown to the buyer may be confirmed with `.ya`. */
export const CONFIRM_MINUTES = 10;

/** A game's slug as suppliers name it for ID checks (`Mobile Legends` → `mobile-legends`). */
export const gameSlug = (game: string): string =>
  game
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A PLN prepaid token in the supplier's price list (category or brand PLN). */
export const isPlnEntry = (category: string, brand: string): boolean => /^pln$/i.test(category.trim()) || /^pln$/i.test(brand.trim());

/** What the supplier says of a PLN meter before a token is bought; null when it could not be asked (a fault, its limit). */
export type MeterCheck = { found: true; name: string; segment: string } | { found: false; message: string } | null;

/**
 * Reads a PLN meter check (`/inquiry-pln`'s `data`): a name is a meter that exists; an rc that
 * blames the number (wrong, blocked, wrong digits), or a success without a name (the legacy
 * variant's empty strings), is a meter that does not; anything else (the store's account, the
 * check's own limit rc 86, an unreadable answer) is not known, and never stops a sale.
 */
export function readMeterCheck(data: unknown): MeterCheck {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 80) : '');
  const rc = text(d.rc);
  if (text(d.name)) return { found: true, name: text(d.name), segment: text(d.segment_power) };
  if ((rc !== '' && failureOf(rc).reason === 'target') || rc === '00' || d.status === 'Sukses') return { found: false, message: text(d.message) };
  return null;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` (read in WIB) falls in the supplier's cut-off window [start, end); the window may wrap midnight. */
export function inCutOff(offer: Pick<SupplierOffer, 'cutOffStart' | 'cutOffEnd'>, now: Date): boolean {
  const start = minutesOf(offer.cutOffStart);
  const end = minutesOf(offer.cutOffEnd);
  if (start === end) return false;
  const wib = new Date(now.getTime() + 7 * 3_600_000);
  const t = wib.getUTCHours() * 60 + wib.getUTCMinutes();
  return start < end ? t >= start && t < end : t >= start || t < end;
}

/** Why a top-up cannot be sold now, or null when it can. */
export function unsellable(offer: SupplierOffer | null, now: Date): 'unsynced' | 'unavailable' | 'cut_off' | null {
  if (!offer) return 'unsynced';
  if (!offer.active) return 'unavailable';
  return inCutOff(offer, now) ? 'cut_off' : null;
}
