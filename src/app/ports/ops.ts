/* Time, telemetry and the operators' figures. */

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
  /** A supplier call and what it came to (success, pending, failed, unknown), with its latency. */
  supplierCall(outcome: string, seconds: number): void;
  /** A top-up settled: delivered or refunded. */
  topup(result: 'delivered' | 'refunded'): void;
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
  /** The top-up supplier: its deposit (null: not read yet), whether it is below SUPPLIER_LOW_BALANCE, top-ups waiting. null without a supplier. */
  supplier: { balance: number | null; low: boolean; pendingTopups: number } | null;
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
  supplierCall: () => undefined,
  topup: () => undefined,
};
