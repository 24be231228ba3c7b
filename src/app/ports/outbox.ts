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

/** A row whose send returned, with the ids the provider gave its messages. */
export interface SentRow {
  outboxId: string;
  providerIds: readonly string[];
}

/** The dispatcher's view of the outbox: lease due rows, then settle each one. */
export interface OutboxQueue {
  /**
   * Marks `sent` rows sent, each with the provider's ids of its messages (empty where the
   * transport has none), and leases up to `limit` due rows: one commit for both.
   */
  claim(limit: number, leaseSeconds: number, sent?: readonly SentRow[]): Promise<OutboxRow[]>;
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
