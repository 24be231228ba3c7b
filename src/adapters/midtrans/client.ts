import type { GatewayStatus, PaymentGateway, PaymentLinkRequest } from '../../app/ports.js';
import { basicAuth } from './signature.js';

/** A refusal or fault reported by Midtrans (or the network on the way to it). */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface MidtransOptions {
  serverKey: string;
  snapUrl: string;
  apiUrl: string;
  timeoutMs?: number;
}

/** `2026-11-23 20:00:00 +0700`: Midtrans wants the start time with an offset; we use WIB. */
export function midtransTime(d: Date): string {
  const wib = new Date(d.getTime() + 7 * 3_600_000).toISOString();
  return `${wib.slice(0, 10)} ${wib.slice(11, 19)} +0700`;
}

/**
 * The Midtrans adapter: Snap for payment links, the Core API for status and
 * cancel. Every call has a timeout; retries and the circuit breaker come with
 * the payments-hardening work (issue 4).
 */
export function midtransGateway(opts: MidtransOptions): PaymentGateway {
  const call = async (url: string, init: RequestInit) => {
    const headers: Record<string, string> = { Authorization: basicAuth(opts.serverKey), Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new GatewayError(`midtrans unreachable: ${(err as Error).name}`, null);
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body };
  };
  const describe = (body: Record<string, unknown>) =>
    Array.isArray(body.error_messages) ? body.error_messages.join('; ') : String(body.status_message ?? '');

  return {
    async createLink(req: PaymentLinkRequest) {
      const { status, body } = await call(`${opts.snapUrl}/transactions`, {
        method: 'POST',
        body: JSON.stringify({
          transaction_details: { order_id: req.orderId, gross_amount: req.amount },
          item_details: req.items.map((i) => ({ id: i.id, price: i.price, quantity: i.quantity, name: i.name.slice(0, 50) })),
          customer_details: { first_name: req.customer.name.slice(0, 50) || req.customer.phone, phone: req.customer.phone },
          expiry: { start_time: midtransTime(req.startTime), unit: 'minute', duration: req.expiryMinutes },
        }),
      });
      if (status !== 201 && status !== 200) throw new GatewayError(`snap create ${status}: ${describe(body)}`, status);
      if (typeof body.redirect_url !== 'string' || typeof body.token !== 'string') throw new GatewayError('snap answer without redirect_url', status);
      return { url: body.redirect_url, token: body.token };
    },
    async getStatus(orderId: string): Promise<GatewayStatus | null> {
      const { status, body } = await call(`${opts.apiUrl}/${encodeURIComponent(orderId)}/status`, { method: 'GET' });
      // Midtrans answers "404" (in the HTTP status or in the body) until the buyer picks a method.
      if (status === 404 || body.status_code === '404') return null;
      if (status >= 300 || typeof body.transaction_status !== 'string') throw new GatewayError(`status ${status}: ${describe(body)}`, status);
      return {
        orderId: String(body.order_id ?? ''),
        transactionStatus: body.transaction_status,
        fraudStatus: typeof body.fraud_status === 'string' ? body.fraud_status : null,
        grossAmount: String(body.gross_amount ?? ''),
      };
    },
    async cancel(orderId: string) {
      const { status, body } = await call(`${opts.apiUrl}/${encodeURIComponent(orderId)}/cancel`, { method: 'POST' });
      if (status === 404 || body.status_code === '404') return;
      if (status >= 300) throw new GatewayError(`cancel ${status}: ${describe(body)}`, status);
    },
  };
}
