import type { Rupiah } from '../../domain/money.js';

/* The payment gateway (Midtrans in production). */

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
