/* WhatsApp, as the app sees it: messages in and out, the transports and their errors. */

export interface InboundMessage {
  id: string;
  from: string; // WhatsApp number, digits only
  name: string;
  text: string;
  at: Date;
  chat: string; // where replies go (the number for direct chats, the group id in a group)
  /** A message that is not text (image, sticker, voice…): the bot asks for text. */
  unsupported?: boolean;
  /** Set when `chat` is a group. */
  group?: boolean;
  /** Kept before a restart and handled again after it (the inbound recovery). */
  recovered?: boolean;
}

/** A send that must not be retried (WhatsApp refused it: 4xx). The outbox marks it dead at once. */
export class PermanentSendError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/**
 * WhatsApp refused a send for a reason that is not the message's (the access
 * token expired, a permission is missing): every send would fail alike, so
 * sending pauses, nothing is given up, and a probe send now and then resumes it.
 */
export class SendingBlocked extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'SendingBlocked';
  }
}

/** A rate limit or a passing fault: send again later, not before `retryInSeconds`; not the message's fault, so it is not counted against it. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryInSeconds: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Refused for being outside WhatsApp's 24-hour window (131047): final, unless it can go as an approved template. */
export class OutsideWindow extends PermanentSendError {
  constructor(message: string) {
    super(message, 400);
    this.name = 'OutsideWindow';
  }
}

export interface OutboundMessage {
  /** Always set: what transports without interactive messages send instead. */
  text: string;
  /** Send as the store's approved notice template, the text as its one parameter (outside the 24-hour window). */
  template?: boolean;
  image?: string;
  /** A tappable list (Cloud API); each row's id is the command a tap sends back. */
  list?: ListMessage;
  /** `value`: goods, a payment link, a money notice: sent before chat replies when the pace is the limit. */
  priority?: 'value';
}

/** WhatsApp's interactive list: ≤ 10 sections, ≤ 10 rows in all, titles ≤ 24, descriptions ≤ 72, ids ≤ 200, button ≤ 20. */
export interface ListMessage {
  body: string;
  button: string;
  sections: { title: string; rows: { id: string; title: string; description?: string }[] }[];
}

/**
 * A way to reach WhatsApp users. Transports deliver inbound messages to the
 * handler given to `start` and send outbound ones; the bot does not know which
 * transport runs.
 */
export interface Transport {
  readonly name: string;
  start(onMessage: (msg: InboundMessage) => Promise<void>): Promise<void>;
  /** Sends; resolves to the provider's ids of the messages it made, where the provider has them (Cloud API). */
  send(to: string, msg: OutboundMessage): Promise<string[] | void>;
  stop(): Promise<void>;
  /** False while this process cannot send (Baileys: linked in another process, or reconnecting): the outbox leaves its rows to the one that can. */
  canSend?(): boolean;
  /** The WhatsApp link as this process sees it, for /readyz (Baileys: `open` here, `standby` while another process holds it, …). */
  link?(): string;
}

/**
 * Inbound messages kept from the webhook's 200 until they are handled, so a process
 * that dies in between loses nothing (Meta does not send an acknowledged message again).
 */
export interface InboundQueue {
  keep(msgs: readonly InboundMessage[]): Promise<void>;
  /** Handled (or turned away by the dedupe): it leaves the queue. */
  done(id: string): Promise<void>;
  /** Kept at least `olderThanS` ago and still not handled: to be handled again (the dedupe drops any that were). */
  stale(olderThanS: number, limit: number): Promise<InboundMessage[]>;
}

/** What WhatsApp later says of a message the outbox sent (Cloud API `statuses`). */
export interface Receipt {
  providerId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  /** For `failed`: the error, classified as a synchronous send error would be. */
  error?: Error;
}
