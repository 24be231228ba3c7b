import {
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  isBrokenCircuitError,
  retry,
  wrap,
} from 'cockatiel';
import type { GatewayStatus, PaymentGateway, PaymentLinkRequest } from '../../app/ports.js';
import { basicAuth } from './signature.js';
import { requestJson, type JsonReply } from '../http-json.js';
import { cutAt } from '../../domain/text.js';

/** A refusal or fault reported by Midtrans, or by the network on the way to it (status null). */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** Worth another try: the network, a timeout, 429 and 5xx. A 4xx is Midtrans' final word. */
export const isTransient = (err: Error): boolean =>
  err instanceof GatewayError && (err.status === null || err.status === 429 || err.status >= 500);

const isDuplicateOrderId = (err: unknown): boolean =>
  err instanceof GatewayError && err.status !== null && err.status >= 400 && err.status < 500 && /order.?id/i.test(err.message) && /taken|sudah|used|utilized|digunakan/i.test(err.message);

export interface MidtransOptions {
  serverKey: string;
  snapUrl: string;
  apiUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts per call, the first included. */
  attempts?: number;
  retryBaseMs?: number;
  /** Consecutive failed calls that open the breaker, and how long it stays open. */
  breakerThreshold?: number;
  breakerCooldownMs?: number;
}

/** `2026-11-23 20:00:00 +0700`: Midtrans wants the start time with an offset; we use WIB. */
export function midtransTime(d: Date): string {
  const wib = new Date(d.getTime() + 7 * 3_600_000).toISOString();
  return `${wib.slice(0, 10)} ${wib.slice(11, 19)} +0700`;
}

/**
 * The Midtrans adapter: Snap for payment links, the Core API for status and
 * cancel. Every attempt has a timeout; transient failures are retried with
 * exponential backoff and full jitter (cockatiel), and a circuit breaker fails
 * calls at once while Midtrans is down, so buyers hear "try later" instead of waiting.
 */
export function midtransGateway(opts: MidtransOptions): PaymentGateway & { breakerOpen(): boolean } {
  const timeoutMs = opts.timeoutMs ?? 6_000;
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: opts.breakerCooldownMs ?? 30_000,
    breaker: new ConsecutiveBreaker(opts.breakerThreshold ?? 5),
  });
  const retries = retry(handleWhen(isTransient), {
    maxAttempts: Math.max(0, (opts.attempts ?? 3) - 1),
    backoff: new ExponentialBackoff({ initialDelay: opts.retryBaseMs ?? 200, maxDelay: 3_000, generator: fullJitterGenerator }),
  });
  const policy = wrap(retries, breaker);
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await policy.execute(fn);
    } catch (err) {
      if (isBrokenCircuitError(err)) throw new GatewayError('midtrans circuit open: failing fast', null);
      throw err;
    }
  };

  /**
   * One call, as the official client makes it: JSON headers on every request, and
   * the answer's code taken from the body's `status_code` when that says failure
   * (the Core API answers HTTP 200 with `"status_code": "412"` and the like).
   */
  const call = async (url: string, method: 'GET' | 'POST', payload?: Record<string, unknown>) => {
    const headers = { Authorization: basicAuth(opts.serverKey), Accept: 'application/json', 'Content-Type': 'application/json' };
    let res: JsonReply;
    try {
      res = await requestJson(method, url, payload, headers, timeoutMs);
    } catch (err) {
      throw new GatewayError(`midtrans unreachable: ${(err as Error).name}`, null);
    }
    const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
    const inBody = Number(body.status_code);
    return { status: Number.isInteger(inBody) && inBody >= 400 && res.status < 400 ? inBody : res.status, body };
  };
  const describe = (body: Record<string, unknown>) =>
    Array.isArray(body.error_messages) ? body.error_messages.join('; ') : String(body.status_message ?? '');

  const getStatus = async (orderId: string): Promise<GatewayStatus | null> => {
    const { status, body } = await call(`${opts.apiUrl}/${encodeURIComponent(orderId)}/status`, 'GET');
    // Midtrans answers "404" (in the HTTP status or in the body) until the buyer picks a method.
    if (status === 404) return null;
    // 407 in the body is an expired transaction: a status like any other, not a failure.
    const ok = status < 300 || (status === 407 && typeof body.transaction_status === 'string');
    if (!ok || typeof body.transaction_status !== 'string') throw new GatewayError(`status ${status}: ${describe(body)}`, status);
    return {
      orderId: String(body.order_id ?? ''),
      transactionStatus: body.transaction_status,
      fraudStatus: typeof body.fraud_status === 'string' ? body.fraud_status : null,
      grossAmount: String(body.gross_amount ?? ''),
    };
  };

  /**
   * Creates a gateway transaction for an order, with retries. Once an attempt may
   * have reached Midtrans (timeout, 5xx), a retry answered "order_id already taken"
   * means that attempt created it: the same order_id guarantees there is never a
   * second transaction. Midtrans never hands the lost answer (Snap token, QR) out
   * again, so the caller compensates; a payment that still arrives is honoured as a
   * late payment.
   */
  const createOnce = <T>(orderId: string, attempt: () => Promise<T>): Promise<T> => {
    let mayExist = false;
    return guarded(async () => {
      try {
        return await attempt();
      } catch (err) {
        if (mayExist && isDuplicateOrderId(err)) {
          const known = await getStatus(orderId).catch(() => null);
          throw new GatewayError(`transaction ${orderId} exists (status ${known?.transactionStatus ?? 'unknown'}) but its answer was lost`, 409);
        }
        if (err instanceof GatewayError && isTransient(err)) mayExist = true;
        throw err;
      }
    });
  };
  const details = (req: PaymentLinkRequest) => ({
    transaction_details: { order_id: req.orderId, gross_amount: req.amount },
    item_details: req.items.map((i) => ({ id: i.id, price: i.price, quantity: i.quantity, name: cutAt(i.name, 50) })),
    customer_details: { first_name: cutAt(req.customer.name, 50) || req.customer.phone, phone: req.customer.phone },
  });

  return {
    breakerOpen: () => breaker.state !== CircuitState.Closed,
    createLink: (req: PaymentLinkRequest) =>
      createOnce(req.orderId, async () => {
        const { status, body } = await call(`${opts.snapUrl}/transactions`, 'POST', {
          ...details(req),
          expiry: { start_time: midtransTime(req.startTime), unit: 'minute', duration: req.expiryMinutes },
        });
        if (status !== 201 && status !== 200) throw new GatewayError(`snap create ${status}: ${describe(body)}`, status);
        if (typeof body.redirect_url !== 'string' || typeof body.token !== 'string') throw new GatewayError('snap answer without redirect_url', 502);
        return { url: body.redirect_url, token: body.token };
      }),
    createQris: (req: PaymentLinkRequest) =>
      createOnce(req.orderId, async () => {
        const { status, body } = await call(`${opts.apiUrl}/charge`, 'POST', {
          payment_type: 'qris',
          ...details(req),
          custom_expiry: { order_time: midtransTime(req.startTime), expiry_duration: req.expiryMinutes, unit: 'minute' },
        });
        // The Core API reports its own status code in the body, also on HTTP 200 (a 406 for a used order_id).
        const code = Number(body.status_code ?? status);
        if (code !== 201 && code !== 200) throw new GatewayError(`qris charge ${code}: ${describe(body)}`, status >= 300 ? status : code);
        if (typeof body.qr_string !== 'string' || !body.qr_string) throw new GatewayError('qris charge without qr_string', 502);
        return { qrString: body.qr_string, transactionId: String(body.transaction_id ?? '') };
      }),
    getStatus: (orderId) => guarded(() => getStatus(orderId)),
    cancel: (orderId) =>
      guarded(async () => {
        const { status, body } = await call(`${opts.apiUrl}/${encodeURIComponent(orderId)}/cancel`, 'POST');
        if (status === 404) return 'cancelled' as const; // never opened: nothing to pay
        // 412: "Merchant cannot modify the status of the transaction": it is paid (or settling).
        if (status === 412) return 'too_late' as const;
        if (status >= 300) throw new GatewayError(`cancel ${status}: ${describe(body)}`, status);
        return 'cancelled' as const;
      }),
  };
}
