/* The outbox as its dispatcher sees it. */

export interface OutboxRow {
  outboxId: string;
  recipient: string;
  body: string;
  image: string | null;
  attempts: number;
  /** Goes as the approved notice template (it was refused outside the 24-hour window). */
  asTemplate?: boolean;
  /** Goods, a payment link or a notice about an order: ahead of chat when the pace is the limit. */
  value?: boolean;
  /** A back-in-stock notice: given up without a word to the admins (the dashboard counts them). */
  quiet?: boolean;
}

/** The dispatcher's view of the outbox: lease due rows, then settle each one. */
export interface OutboxQueue {
  claim(limit: number, leaseSeconds: number): Promise<OutboxRow[]>;
  /** Marks rows sent, each with the provider's ids of its messages (empty where the transport has none). */
  sent(rows: readonly { outboxId: string; providerIds: readonly string[] }[]): Promise<void>;
  /** The sent row a provider message id belongs to, or null. */
  sentRow(providerId: string): Promise<OutboxRow | null>;
  /** Records a `delivered` or `read` receipt (the first time of each). */
  receipt(providerId: string, status: 'delivered' | 'read', at: Date): Promise<void>;
  /** retryInSeconds null → the row is dead (given up, kept for admins). */
  failed(outboxId: string, error: string, retryInSeconds: number | null): Promise<void>;
  /** Back to the queue at once, to go as the approved template; the attempt not counted. */
  asTemplate(outboxId: string, error: string): Promise<void>;
  /** Back to the queue in `seconds`, the claim's attempt not counted (sending paused, a rate limit). */
  postpone(outboxId: string, seconds: number, error: string): Promise<void>;
}
