import type { Log } from '../../app/deps.js';
import type { LockHold } from '../postgres/db.js';

/**
 * Keeps the WhatsApp Web link lock for a transport: tries to take it, and every `pollMs`
 * while another process holds it; once taken, `taken` connects; when the lock's connection
 * ends, `lost` drops the socket at once and the keeper tries again.
 */
export class LinkKeeper {
  private hold: LockHold | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly take: () => Promise<LockHold | null>,
    private readonly log: Log,
    private readonly on: { taken(): Promise<void>; lost(): void },
    private readonly pollMs: () => number,
  ) {}

  /** Whether this process holds the link now. */
  get held(): boolean {
    return this.hold !== null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const hold = this.hold;
    this.hold = null;
    await hold?.release();
  }

  private later(): void {
    this.timer = setTimeout(() => void this.attempt(), this.pollMs());
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const hold = await this.take().catch((err: unknown) => (this.log.warn({ err }, 'whatsapp link lock not reachable; trying again'), null));
    if (this.stopped) return void (await hold?.release());
    if (!hold) return this.later();
    this.hold = hold;
    this.log.info({}, 'whatsapp link taken: this process connects');
    void hold.lost.then(() => {
      if (this.hold !== hold || this.stopped) return;
      this.log.warn({}, 'whatsapp link lock lost: disconnecting; standby until it can be taken again');
      this.hold = null;
      this.on.lost();
      this.later();
    });
    await this.on.taken();
  }
}
