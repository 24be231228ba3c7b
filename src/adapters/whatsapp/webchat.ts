import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Log } from '../../app/deps.js';
import type { InboundMessage, OutboundMessage, Transport } from '../../app/ports.js';
import { WEBCHAT_SCRIPT, webchatPage } from './webchat-page.js';

export interface ChatMessage {
  id: string;
  direction: 'in' | 'out';
  text: string;
  at: string;
  image?: string;
  /** In a group conversation: who said it. */
  from?: string;
}

const CHAT_ID = /^[\w.@-]{5,64}$/;
const sendBody = z.object({
  from: z.string().regex(/^\d{5,20}$/),
  name: z.string().max(100).optional(),
  // WhatsApp's own limit: the bot answers a buyer's over-long message itself (admins may send long .addstok lists).
  text: z.string().min(1).max(65_536),
  /** A group id: the message is said in that group (replies to read-only commands go there). */
  group: z.string().regex(CHAT_ID).optional(),
});

/**
 * The web chat transport: a WhatsApp-like page in the browser and a JSON API,
 * so a seller can try and script the store without WhatsApp. Conversations
 * live in memory (the last `keep` messages per number).
 */
export class WebChatTransport implements Transport {
  readonly name = 'webchat';
  private readonly conversations = new Map<string, ChatMessage[]>();
  private readonly events = new EventEmitter();
  private onMessage: ((msg: InboundMessage) => Promise<void>) | null = null;

  constructor(
    private readonly log: Log,
    /** Numbers the page opens with on a first visit (the demo admin, a buyer). */
    private readonly defaultNumbers: readonly string[] = ['6281234567890'],
    private readonly keep = 500,
    private readonly locale: 'id' | 'en' = 'id',
  ) {
    this.events.setMaxListeners(0);
  }

  async start(onMessage: (msg: InboundMessage) => Promise<void>): Promise<void> {
    this.onMessage = onMessage;
  }

  async stop(): Promise<void> {
    this.onMessage = null;
    this.events.emit('close');
  }

  async send(to: string, msg: OutboundMessage): Promise<void> {
    this.record(to, { id: randomUUID(), direction: 'out', text: msg.text, at: new Date().toISOString(), ...(msg.image ? { image: msg.image } : {}) });
  }

  messages(number: string): ChatMessage[] {
    return [...(this.conversations.get(number) ?? [])];
  }

  /** The next message sent to `number` whose text `match` accepts (the bench waits on deliveries with it). */
  nextSent(number: string, match: (text: string) => boolean): Promise<ChatMessage> {
    return new Promise((resolve) => {
      const onMessage = (n: string, m: ChatMessage) => {
        if (n !== number || m.direction !== 'out' || !match(m.text)) return;
        this.events.off('message', onMessage);
        resolve(m);
      };
      this.events.on('message', onMessage);
    });
  }

  /** A message typed in the page or posted to the API: recorded, then handled like a WhatsApp message. */
  receive(from: string, name: string, text: string, group?: string): string {
    const id = `webchat-${randomUUID()}`;
    const at = new Date();
    const chat = group ?? from;
    this.record(chat, { id, direction: 'in', text, at: at.toISOString(), ...(group ? { from } : {}) });
    const handler = this.onMessage;
    if (handler) {
      void handler({ id, from, name, text, at, chat, ...(group ? { group: true } : {}) }).catch((err: unknown) =>
        this.log.error({ err, messageId: id }, 'webchat message failed'),
      );
    }
    return id;
  }

  private record(number: string, m: ChatMessage): void {
    const list = this.conversations.get(number) ?? [];
    list.push(m);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    this.conversations.set(number, list);
    this.events.emit('message', number, m);
  }

  register(app: FastifyInstance): void {
    app.get('/chat', async (_req, reply) => reply.type('text/html').send(webchatPage(this.defaultNumbers, this.locale)));
    app.get('/chat/app.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(WEBCHAT_SCRIPT));

    app.post('/chat/api/send', async (req, reply) => {
      const parsed = sendBody.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ error: 'expected {"from":"<digits>","name"?:string,"text":"1..65536 chars"}' });
      const { from, name = '', text, group } = parsed.data;
      return reply.code(202).send({ id: this.receive(from, name, text, group) });
    });

    app.get<{ Querystring: { number?: string } }>('/chat/api/messages', async (req, reply) => {
      const number = req.query.number ?? '';
      if (!CHAT_ID.test(number)) return reply.code(400).send({ error: 'number must be a phone number or a group id' });
      return { messages: this.messages(number) };
    });

    // Server-sent events: the page shows new messages as they happen.
    app.get('/chat/api/events', (req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      reply.raw.write(': connected\n\n');
      const onMessage = (number: string, m: ChatMessage) => reply.raw.write(`data: ${JSON.stringify({ number, message: m })}\n\n`);
      const close = () => {
        this.events.off('message', onMessage);
        this.events.off('close', close);
        reply.raw.end();
      };
      this.events.on('message', onMessage);
      this.events.on('close', close);
      req.raw.on('close', close);
    });
  }
}
