import { ExponentialBackoff, fullJitterGenerator, handleWhen, retry } from 'cockatiel';
import type { FastifyInstance } from 'fastify';
import type { Log } from '../../app/deps.js';
import { OutsideWindow, PermanentSendError, RetryLater, SendingBlocked, type InboundMessage, type InboundQueue, type OutboundMessage, type Receipt, type Transport } from '../../app/ports.js';
import { postJson, type JsonReply } from '../http-json.js';
import { splitMessage } from './split.js';
import { cutAt } from '../../domain/text.js';
import { sameSecret, validHubSignature } from '../../secret.js';

export interface CloudOptions {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  graphUrl: string;
  timeoutMs?: number;
  /** Mark each inbound message read once it was handled (blue ticks for the buyer). */
  markRead?: boolean;
  /** An approved template with one body parameter, for messages outside the 24-hour window. */
  noticeTemplate?: { name: string; language: string };
  /** Where inbound messages are kept before the 200 (without it, a crash after the 200 loses them). */
  queue?: InboundQueue;
}

/** A Graph API failure worth retrying at once: the network, a timeout, 5xx, "something went wrong". */
class TransientSendError extends Error {}

/** Rate limits (often HTTP 400): wait this long, then send again; not counted against the message. */
const RATE_LIMITS: Readonly<Record<number, number>> = { 130429: 2, 131056: 10, 80007: 30, 4: 60, 613: 60 };
/** Passing faults: retried with backoff, and given up after the dispatcher's attempts. */
const TRANSIENT = new Set([1, 2, 131000, 131016]);
/** The sender itself refused: the access token (190) or a permission (10, 200–299). */
const blocksSender = (status: number, code: number | null) => status === 401 || code === 190 || code === 10 || (code !== null && code >= 200 && code <= 299);

interface GraphError {
  code?: number;
  message?: string;
  error_data?: { details?: string };
}

/**
 * A failed send, classified by its Graph error code rather than its HTTP status
 * (Meta answers several retryable errors with 400): the same rule for a synchronous
 * refusal and for a `failed` status that arrives later in the webhook.
 */
export function classifyGraphError(status: number, error: GraphError | undefined): Error {
  const code = typeof error?.code === 'number' ? error.code : null;
  const reason = `graph ${code ?? status}: ${[error?.message, error?.error_data?.details].filter(Boolean).join(' — ').slice(0, 300)}`;
  if (blocksSender(status, code)) return new SendingBlocked(reason, code ?? status);
  if (code !== null && RATE_LIMITS[code] !== undefined) return new RetryLater(reason, RATE_LIMITS[code]);
  if (status === 429) return new RetryLater(reason, 5);
  if (status >= 500 || (code !== null && TRANSIENT.has(code))) return new TransientSendError(reason);
  // 131047: more than 24 hours since the person wrote; a template may still reach them.
  if (code === 131047) return new OutsideWindow(reason);
  // 131026 (undeliverable) and the rest: final, with the reason.
  return new PermanentSendError(reason, status);
}

/** `sha256=<hex>` of the raw body with the app secret, compared in constant time. */
export function verifyHubSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  return validHubSignature(raw, header, appSecret, 'sha256');
}

interface WebhookBody {
  entry?: {
    changes?: {
      value?: {
        contacts?: { wa_id?: string; profile?: { name?: string } }[];
        messages?: {
          id?: string;
          from?: string;
          timestamp?: string;
          type?: string;
          text?: { body?: string };
          interactive?: { type?: string; list_reply?: { id?: string }; button_reply?: { id?: string } };
        }[];
        statuses?: { id?: string; status?: string; timestamp?: string; recipient_id?: string; errors?: GraphError[] }[];
      };
    }[];
  }[];
}

/**
 * The WhatsApp Cloud API transport: Meta calls our webhook, we call the Graph
 * API. Stateless, so several kedai processes can run behind one load balancer.
 */
export class CloudTransport implements Transport {
  readonly name = 'cloud';
  private onMessage: ((msg: InboundMessage) => Promise<void>) | null = null;
  private onReceipt: ((r: Receipt) => Promise<void>) | null = null;
  private readonly retries = retry(handleWhen((e) => e instanceof TransientSendError), {
    maxAttempts: 2,
    backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000, generator: fullJitterGenerator }),
  });

  constructor(
    private readonly opts: CloudOptions,
    private readonly log: Log,
  ) {}

  async start(onMessage: (msg: InboundMessage) => Promise<void>): Promise<void> {
    this.onMessage = onMessage;
  }

  async stop(): Promise<void> {
    this.onMessage = null;
  }

  /** Where the statuses of sent messages go (`delivered`, `read`, `failed` with its error). */
  receipts(handler: (r: Receipt) => Promise<void>): void {
    this.onReceipt = handler;
  }

  async send(to: string, msg: OutboundMessage): Promise<string[]> {
    const template = this.opts.noticeTemplate;
    if (msg.template && template) {
      // A template parameter may hold no line breaks, tabs or runs of four spaces.
      const text = cutAt(msg.text.replace(/\s*\n+\s*/g, ' | ').replace(/\t/g, ' ').replace(/ {4,}/g, '   '), 1_000);
      return [
        await this.post({
          to,
          type: 'template',
          template: { name: template.name, language: { code: template.language }, components: [{ type: 'body', parameters: [{ type: 'text', text }] }] },
        }),
      ];
    }
    if (msg.list) {
      const { body, button, sections } = msg.list;
      return [await this.post({ to, type: 'interactive', interactive: { type: 'list', body: { text: body }, action: { button, sections } } })];
    }
    const ids: string[] = [];
    if (msg.image) {
      // A caption holds 1024 characters; a longer text follows the image as its own message.
      const caption = msg.text.length <= 1024 ? msg.text : '';
      ids.push(await this.post({ to, type: 'image', image: { link: msg.image, ...(caption ? { caption } : {}) } }));
      if (caption) return ids;
    }
    for (const body of splitMessage(msg.text)) ids.push(await this.post({ to, type: 'text', text: { preview_url: false, body } }));
    return ids.filter(Boolean);
  }

  /** Blue ticks: tells WhatsApp the buyer's message was read (best effort; a failure only loses the ticks). */
  private async markRead(messageId: string): Promise<void> {
    await postJson(this.messagesUrl, { messaging_product: 'whatsapp', status: 'read', message_id: messageId }, this.auth, this.opts.timeoutMs ?? 10_000).catch(() => undefined);
  }

  private get messagesUrl(): string {
    return `${this.opts.graphUrl}/${this.opts.phoneNumberId}/messages`;
  }

  private get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.opts.token}` };
  }

  /** One Graph send; resolves to the message id Meta gave it. */
  private post(payload: Record<string, unknown>): Promise<string> {
    return this.retries.execute(async () => {
      let res: JsonReply;
      try {
        res = await postJson(this.messagesUrl, { messaging_product: 'whatsapp', recipient_type: 'individual', ...payload }, this.auth, this.opts.timeoutMs ?? 10_000);
      } catch (err) {
        throw new TransientSendError(`graph api unreachable: ${(err as Error).name}`);
      }
      const body = res.body as { error?: GraphError; messages?: { id?: string }[] };
      if (res.status >= 200 && res.status < 300) return body.messages?.[0]?.id ?? '';
      throw classifyGraphError(res.status, body.error);
    });
  }

  register(app: FastifyInstance): void {
    const { verifyToken, appSecret } = this.opts;
    app.get<{ Querystring: Record<string, string | undefined> }>('/webhooks/whatsapp', async (req, reply) => {
      const q = req.query;
      const ok = q['hub.mode'] === 'subscribe' && sameSecret(q['hub.verify_token'], verifyToken);
      if (!ok) return reply.code(403).send('forbidden');
      return reply.type('text/plain').send(q['hub.challenge'] ?? '');
    });

    // The signature covers the raw bytes, so this route keeps them instead of parsed JSON.
    void app.register(async (scope) => {
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.post('/webhooks/whatsapp', async (req, reply) => {
        const raw = req.body as Buffer;
        if (!verifyHubSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, appSecret)) {
          req.log.warn('whatsapp webhook with a missing or bad signature');
          return reply.code(401).send({ error: 'invalid signature' });
        }
        let body: WebhookBody;
        try {
          body = JSON.parse(raw.toString('utf8')) as WebhookBody;
        } catch {
          return reply.code(400).send({ error: 'malformed body' });
        }
        // Kept before the 200 (a 503 while the database cannot, so Meta sends it again), then handled.
        const messages = this.inbound(body);
        const queue = this.opts.queue;
        if (messages.length && queue) {
          try {
            await queue.keep(messages);
          } catch (err) {
            this.log.warn({ err }, 'inbound message not kept: answered 503 so Meta retries');
            return reply.code(503).send({ error: 'try again' });
          }
        }
        for (const msg of messages) {
          const handler = this.onMessage;
          if (!handler) continue;
          void handler(msg)
            .then(() => queue?.done(msg.id))
            .then(() => (this.opts.markRead && !msg.unsupported ? this.markRead(msg.id) : undefined))
            .catch((err: unknown) => this.log.error({ err, messageId: msg.id }, 'whatsapp message failed'));
        }
        for (const r of this.statuses(body)) {
          const handler = this.onReceipt;
          if (handler) void handler(r).catch((err: unknown) => this.log.error({ err, messageId: r.providerId }, 'whatsapp status not applied'));
        }
        return reply.code(200).send({ ok: true });
      });
    });
  }

  /** Every status of every change: what became of the messages we sent. */
  private statuses(body: WebhookBody): Receipt[] {
    const out: Receipt[] = [];
    for (const entry of body.entry ?? []) {
      for (const change of entry.changes ?? []) {
        for (const s of change.value?.statuses ?? []) {
          if (!s.id || (s.status !== 'sent' && s.status !== 'delivered' && s.status !== 'read' && s.status !== 'failed')) continue;
          const at = new Date(Number(s.timestamp ?? 0) * 1000 || Date.now());
          // A failed status carries the same Graph error a synchronous refusal would (HTTP status unknown here).
          out.push({ providerId: s.id, status: s.status, at, ...(s.status === 'failed' ? { error: classifyGraphError(400, s.errors?.[0]) } : {}) });
        }
      }
    }
    return out;
  }

  /** Every message of every change of every entry; delivery statuses are not messages. */
  private inbound(body: WebhookBody): InboundMessage[] {
    const out: InboundMessage[] = [];
    for (const entry of body.entry ?? []) {
      for (const change of entry.changes ?? []) {
        const value = change.value ?? {};
        for (const m of value.messages ?? []) {
          if (!m.id || !m.from) continue;
          const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name ?? '';
          // A tap on a list row (or a reply button) sends back the row's id: the command it stands for.
          const tapped = m.type === 'interactive' ? (m.interactive?.list_reply?.id ?? m.interactive?.button_reply?.id) : undefined;
          const text = m.type === 'text' ? (m.text?.body ?? '') : (tapped ?? '');
          out.push({
            id: m.id,
            from: m.from,
            name,
            text,
            at: new Date(Number(m.timestamp ?? 0) * 1000 || Date.now()),
            chat: m.from,
            ...(m.type === 'text' || tapped !== undefined ? {} : { unsupported: true }),
          });
        }
      }
    }
    return out;
  }
}
