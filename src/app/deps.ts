import type { CacheAside } from './cache-aside.js';
import type { Clock, OpsReport, PaymentGateway, PaymentEvents, Store, Suppliers, Telemetry, Texts, TxLock } from './ports.js';

/** The few logger methods the app uses (pino satisfies it). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Everything a use case may touch: ports, never adapters. */
export interface AppDeps {
  store: Store;
  gateway: PaymentGateway;
  /** Fulfils top-up products (Digiflazz, or its sandbox in the demo); null when none is configured: top-ups cannot be sold. */
  /** The top-up suppliers (none: top-ups cannot be sold). */
  suppliers: Suppliers;
  /** A top-up was handed over: the supplier worker calls it now instead of at its next poll. */
  wakeSupplier(): void;
  cache: CacheAside;
  locks: TxLock;
  /** Where reconciliation hands gateway statuses, to be applied like notifications. */
  paymentEvents: PaymentEvents;
  clock: Clock;
  telemetry: Telemetry;
  /** Live operational figures (`.performa`); absent in the CLI. */
  ops?: { report(): Promise<OpsReport> };
  texts: Texts;
  log: Log;
  randomHex(): string;
  settings: {
    paymentExpiryMinutes: number;
    paymentMethod: 'snap' | 'qris';
    adminNumbers: readonly string[];
    publicUrl: string;
    lowStockThreshold: number;
    /** A paid order delivered by hand and still waiting after this many hours reminds the admins (MANUAL_REMIND_HOURS). */
    manualRemindHours: number;
    /** REFERRAL_PERCENT: a referrer's share of each delivered purchase of a buyer they referred (0 = off). */
    referralPercent: number;
    /** Admins are alerted when the supplier deposit drops below this (SUPPLIER_LOW_BALANCE). */
    supplierLowBalance: number;
    /** The settings stored in the database, as this process last read them (the one settings reader: `LiveSettings`). */
    stored(): Readonly<Record<string, string>>;
  };
}
