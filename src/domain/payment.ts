/**
 * Midtrans reports many transaction statuses; the store only needs to know what
 * to do. Every gateway status maps onto one of these outcomes; unknown ones are no-ops.
 */
export type PaymentOutcome = 'paid' | 'waiting' | 'expired' | 'cancelled' | 'failed' | 'refunded' | 'ignore';

export function outcomeOf(transactionStatus: string, fraudStatus?: string): PaymentOutcome {
  switch (transactionStatus) {
    case 'settlement':
      return 'paid';
    case 'capture':
      // A card capture is money only when the fraud check accepted it.
      return fraudStatus === undefined || fraudStatus === 'accept' ? 'paid' : 'waiting';
    case 'pending':
    case 'authorize':
      return 'waiting';
    case 'expire':
      return 'expired';
    case 'cancel':
      return 'cancelled';
    case 'deny':
    case 'failure':
      return 'failed';
    case 'refund':
    case 'partial_refund':
    case 'chargeback':
    case 'partial_chargeback':
      return 'refunded';
    default:
      return 'ignore';
  }
}
