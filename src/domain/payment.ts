/**
 * Midtrans reports many transaction statuses; the store only needs to know what
 * to do. Every gateway status maps onto one of these outcomes; unknown ones are no-ops.
 */
export type PaymentOutcome = 'paid' | 'review' | 'waiting' | 'expired' | 'cancelled' | 'failed' | 'refunded' | 'ignore';

export function outcomeOf(transactionStatus: string, fraudStatus?: string | null): PaymentOutcome {
  switch (transactionStatus) {
    case 'settlement':
    case 'capture':
      // Money only when the fraud check accepted it (or made none); `challenge` waits for the seller's review.
      if (fraudStatus === undefined || fraudStatus === null || fraudStatus === 'accept') return 'paid';
      return fraudStatus === 'challenge' ? 'review' : 'failed';
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
