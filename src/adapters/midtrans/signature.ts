import { createHash, timingSafeEqual } from 'node:crypto';

/** Midtrans: hex(SHA512(order_id + status_code + gross_amount + server_key)), gross_amount as sent ("25000.00"). */
export function notificationSignature(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return createHash('sha512').update(orderId + statusCode + grossAmount + serverKey).digest('hex');
}

export function verifyNotificationSignature(
  n: { order_id: string; status_code: string; gross_amount: string; signature_key: string },
  serverKey: string,
): boolean {
  const expected = Buffer.from(notificationSignature(n.order_id, n.status_code, n.gross_amount, serverKey), 'hex');
  const given = Buffer.from(n.signature_key, 'hex');
  // Buffer.from(hex) drops bad characters, so compare lengths first; the comparison itself is constant time.
  return given.length === expected.length && n.signature_key.length === expected.length * 2 && timingSafeEqual(given, expected);
}

/** Authorization header value for the server key. */
export const basicAuth = (serverKey: string): string => `Basic ${Buffer.from(`${serverKey}:`).toString('base64')}`;
