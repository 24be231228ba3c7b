import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { InboundMessage, OutboundMessage, Transport } from '../../app/ports.js';

/** Chat with the store in the terminal as one number (`npm start -- --as 6281234567890`). */
export class ConsoleTransport implements Transport {
  readonly name = 'console';
  private rl: Interface | null = null;

  constructor(
    private readonly as: string,
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  async start(onMessage: (msg: InboundMessage) => Promise<void>): Promise<void> {
    this.rl = createInterface({ input: this.input });
    this.output.write(`Chatting as ${this.as}. Type .menu\n`);
    this.rl.on('line', (text) => {
      if (!text.trim()) return;
      void onMessage({ id: `console-${randomUUID()}`, from: this.as, name: '', text, at: new Date(), chat: this.as }).catch((err: unknown) =>
        this.output.write(`! ${(err as Error).message}\n`),
      );
    });
  }

  async send(to: string, msg: OutboundMessage): Promise<void> {
    const who = to === this.as ? 'bot' : `bot → ${to}`;
    this.output.write(`\n[${who}]\n${msg.text}${msg.image ? `\n(image: ${msg.image})` : ''}\n`);
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }
}
