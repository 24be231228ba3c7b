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
