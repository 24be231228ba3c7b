import { DisconnectReason, jidNormalizedUser, makeWASocket, type AuthenticationState, type GroupMetadata, type proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import pino from 'pino';
import QRCode from 'qrcode';
import type { Log } from '../../app/deps.js';
import type { InboundMessage, OutboundMessage, Transport } from '../../app/ports.js';
import type { Database, LockHold } from '../postgres/db.js';
import { LinkKeeper } from './link-keeper.js';
import { lidStore, usePostgresAuthState } from '../postgres/whatsapp-auth.js';
import { splitMessage } from './split.js';

/** The part of a Baileys socket kedai uses (so tests can hand in a fake that emits real event shapes). */
export interface SocketLike {
  ev: { on<T>(event: string, handler: (arg: T) => void): void };
  sendMessage(jid: string, content: Record<string, unknown>): Promise<unknown>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  end(error: Error | undefined): void;
  /** Baileys' own LID ↔ phone-number map. */
  signalRepository?: { lidMapping?: { getPNForLID(lid: string): Promise<string | null> } };
  readMessages?(keys: WAMessageKey[]): Promise<void>;
  groupMetadata?(jid: string): Promise<GroupMetadata>;
}
export type SocketFactory = (config: {
  auth: AuthenticationState;
  logger: unknown;
  browser?: [string, string, string];
  /** A message the recipient's phone could not decrypt is asked for again: kept for resends. */
  getMessage?: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  cachedGroupMetadata?: (jid: string) => Promise<GroupMetadata | undefined>;
}) => SocketLike;

/** Keeps the last `max` entries (a Map iterates in insertion order). */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}

export type LinkState = 'standby' | 'connecting' | 'qr' | 'open' | 'logged_out' | 'closed';

export interface BaileysOptions {
  db: Database;
  log: Log;
  pairingNumber?: string;
  makeSocket?: SocketFactory;
  /** First reconnect delay; doubles up to 60 s, with jitter. */
  reconnectBaseMs?: number;
  /** Mark each inbound message read once it was handled. */
  markRead?: boolean;
  /**
   * One WhatsApp Web connection per number across processes: only the process holding this
   * lock connects; the others wait in `standby` and take over when it is lost. Absent: this
   * process is the only one (the embedded store).
   */
  linkLock?: () => Promise<LockHold | null>;
  /** How often a standby process tries to take the link. */
  standbyPollMs?: number;
}

interface ConnectionUpdate {
  connection?: 'connecting' | 'open' | 'close';
  lastDisconnect?: { error?: { output?: { statusCode?: number } } };
  qr?: string;
}

/**
 * The Baileys transport: WhatsApp Web's multi-device protocol, paired by QR or
 * pairing code, auth state in PostgreSQL. Reconnects with backoff on every close
 * but a logout, which needs a new pairing and says so.
 */
export class BaileysTransport implements Transport {
  readonly name = 'baileys';
  state: LinkState = 'closed';
  /** The QR to scan while pairing (also printed in the terminal). */
  qr: string | null = null;
  pairingCode: string | null = null;
  private sock: SocketLike | null = null;
  private onMessage: ((msg: InboundMessage) => Promise<void>) | null = null;
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** What we sent lately, by message id, for Baileys' `getMessage` (a resend to a phone that failed to decrypt it). */
  private readonly recent = new Map<string, proto.IMessage>();
  /** Group metadata for five minutes, for `cachedGroupMetadata` (every group send needs the participants). */
  private readonly groups = new Map<string, { meta: GroupMetadata; at: number }>();
  /** With several processes: the link lock, held by the one process that connects. */
  private readonly keeper: LinkKeeper | null;

  constructor(private readonly opts: BaileysOptions) {
    this.keeper = opts.linkLock
      ? new LinkKeeper(opts.linkLock, opts.log, { taken: () => this.connect(), lost: () => this.standBy() }, () => this.opts.standbyPollMs ?? 2_000)
      : null;
  }

  async start(onMessage: (msg: InboundMessage) => Promise<void>): Promise<void> {
    this.onMessage = onMessage;
    this.stopped = false;
    if (!this.keeper) return this.connect();
    this.state = 'standby';
    await this.keeper.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.sock?.end(undefined);
    this.sock = null;
    this.state = 'closed';
    await this.keeper?.stop();
  }

  canSend(): boolean {
    return this.state === 'open';
  }

  link(): string {
    return this.state;
  }

  /** The link lock was lost: the socket goes at once, before another process opens its own. */
  private standBy(): void {
    if (this.timer) clearTimeout(this.timer);
    const sock = this.sock;
    this.sock = null;
    this.state = 'standby';
    sock?.end(undefined);
  }

  async send(to: string, msg: OutboundMessage): Promise<void> {
    const sock = this.sock;
    // Not connected: throw, and the outbox retries later (direct replies are lost, as a chat would be).
    if (!sock || this.state !== 'open') throw new Error(`whatsapp not connected (${this.state})`);
    // A number, a `<lid>@lid` account (no number known) or a group: never LID digits as a number.
    const jid = to.includes('@') ? to : `${to}@s.whatsapp.net`;
    if (jid.endsWith('@g.us')) await this.groupMeta(sock, jid);
    const sent = async (content: Record<string, unknown>) => {
      const res = (await sock.sendMessage(jid, content)) as { key?: { id?: string }; message?: proto.IMessage } | undefined;
      if (res?.key?.id && res.message) remember(this.recent, res.key.id, res.message, 500);
    };
    if (msg.image) {
      const res = await fetch(msg.image, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`image ${res.status}`);
      await sent({ image: Buffer.from(await res.arrayBuffer()), caption: msg.text });
      return;
    }
    for (const text of splitMessage(msg.text)) await sent({ text });
  }

  private async groupMeta(sock: SocketLike, jid: string): Promise<GroupMetadata | undefined> {
    const cached = this.groups.get(jid);
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.meta;
    const meta = await sock.groupMetadata?.(jid).catch(() => undefined);
    if (meta) remember(this.groups, jid, { meta, at: Date.now() }, 200);
    return meta;
  }

  private async connect(): Promise<void> {
    const { db, log } = this.opts;
    const auth = await usePostgresAuthState(db);
    const make = this.opts.makeSocket ?? (makeWASocket as unknown as SocketFactory);
    const sock = make({
      auth: auth.state,
      logger: pino({ level: 'silent' }),
      browser: ['kedai', 'Chrome', '1.0'],
      getMessage: async (key) => (key.id ? this.recent.get(key.id) : undefined),
      cachedGroupMetadata: async (jid) => {
        const cached = this.groups.get(jid);
        return cached && Date.now() - cached.at < 5 * 60_000 ? cached.meta : undefined;
      },
    });
    this.sock = sock;
    this.state = 'connecting';
    sock.ev.on('creds.update', () => void auth.saveCreds().catch((err: unknown) => log.error({ err }, 'whatsapp creds not saved')));
    sock.ev.on('connection.update', (update: ConnectionUpdate) => void this.onConnection(sock, update, auth.state.creds.registered, auth.clear));
    sock.ev.on('messages.upsert', (upsert: { messages: WAMessage[]; type: string }) => void this.onUpsert(upsert));
    // A group changed (subject, participants): its cached metadata is stale.
    sock.ev.on('groups.update', (updates: { id?: string }[]) => updates.forEach((u) => u.id && this.groups.delete(u.id)));
    sock.ev.on('group-participants.update', (u: { id?: string }) => void (u.id && this.groups.delete(u.id)));
  }

  private async onConnection(sock: SocketLike, update: ConnectionUpdate, registered: boolean, clear: () => Promise<void>): Promise<void> {
    const { log } = this.opts;
    if (sock !== this.sock) return; // an old socket's last words
    if (update.qr) {
      this.state = 'qr';
      this.qr = update.qr;
      if (this.opts.pairingNumber && !registered && !this.pairingCode) {
        this.pairingCode = await sock.requestPairingCode(this.opts.pairingNumber).catch(() => null);
        // Printed for the operator, never logged: it links a device to the number.
        if (this.pairingCode) process.stdout.write(`\nWhatsApp pairing code: ${this.pairingCode} (Linked devices → Link with phone number)\n`);
      } else {
        const art = await QRCode.toString(update.qr, { type: 'terminal', small: true }).catch(() => '');
        process.stdout.write(`\nScan with WhatsApp (Linked devices → Link a device), or open /admin/whatsapp:\n${art}\n`);
      }
    }
    if (update.connection === 'open') {
      this.state = 'open';
      this.qr = null;
      this.pairingCode = null;
      this.attempts = 0;
      log.info({}, 'whatsapp connected');
    }
    if (update.connection === 'close') {
      const code = update.lastDisconnect?.error?.output?.statusCode;
      this.sock = null;
      if (code === DisconnectReason.loggedOut) {
        this.state = 'logged_out';
        await clear().catch((err: unknown) => log.error({ err }, 'whatsapp session not cleared'));
        log.error({}, 'WhatsApp logged this device out: pairing is needed. Restart kedai and scan the new QR (or use WHATSAPP_PAIRING_NUMBER).');
        return;
      }
      this.state = 'closed';
      // Reconnect only while this process holds the link (a standby process never connects).
      if (this.stopped || (this.keeper && !this.keeper.held)) return;
      const base = this.opts.reconnectBaseMs ?? 1_000;
      const delay = Math.min(60_000, base * 2 ** this.attempts++) * (0.5 + Math.random() / 2);
      log.warn({ code, delayMs: Math.round(delay) }, 'whatsapp connection closed; reconnecting');
      this.timer = setTimeout(() => void this.connect().catch((err: unknown) => log.error({ err }, 'whatsapp reconnect failed')), delay);
    }
  }

  private async onUpsert(upsert: { messages: WAMessage[]; type: string }): Promise<void> {
    if (upsert.type !== 'notify') return; // history sync and appends are not new traffic
    for (const m of upsert.messages) {
      const msg = await this.toInbound(m).catch(() => null);
      const handler = this.onMessage;
      if (!msg || !handler) continue;
      const sock = this.sock;
      void handler(msg)
        .then(() => (this.opts.markRead && !msg.unsupported ? sock?.readMessages?.([m.key]) : undefined))
        .catch((err: unknown) => this.opts.log.error({ err, messageId: msg.id }, 'whatsapp message failed'));
    }
  }

  private async toInbound(m: WAMessage): Promise<InboundMessage | null> {
    const key = m.key as WAMessage['key'] & { remoteJidAlt?: string; participantAlt?: string };
    const remote = key.remoteJid ?? '';
    if (!m.message || key.fromMe || !key.id || remote === 'status@broadcast' || remote.endsWith('@newsletter')) return null;
    const group = remote.endsWith('@g.us');
    const from = await this.numberOf(group ? (key.participant ?? '') : remote, group ? key.participantAlt : key.remoteJidAlt);
    if (!from) return null;
    const text = m.message.conversation ?? m.message.extendedTextMessage?.text ?? null;
    // A protobuf Long has no valueOf (Number(long) is NaN): read it, or a late message would pass as fresh.
    const ts = m.messageTimestamp;
    const seconds = typeof ts === 'object' && ts !== null ? ts.toNumber() : Number(ts ?? 0);
    const at = new Date(seconds * 1000 || Date.now());
    return {
      id: key.id,
      from,
      name: m.pushName ?? '',
      text: text ?? '',
      at,
      chat: group ? remote : from,
      ...(group ? { group: true } : {}),
      ...(text === null ? { unsupported: true } : {}),
    };
  }

  /**
   * One person, one account: `628123:12@s.whatsapp.net` → `628123`. An `@lid` sender
   * → the number WhatsApp sent with it, else Baileys' own LID map, else kedai's table;
   * known by its LID alone, the account is `<lid>@lid` (replies go to that JID), never
   * the LID's digits as if they were a phone number.
   */
  private async numberOf(jid: string, alt: string | undefined): Promise<string | null> {
    const bare = jidNormalizedUser(jid);
    if (bare.endsWith('@s.whatsapp.net')) return bare.split('@')[0]!;
    if (!bare.endsWith('@lid')) return null;
    const lid = bare.split('@')[0]!;
    let pn = alt ? jidNormalizedUser(alt) : '';
    if (!pn.endsWith('@s.whatsapp.net')) {
      const mapped = await this.sock?.signalRepository?.lidMapping?.getPNForLID(bare).catch(() => null);
      pn = mapped ? jidNormalizedUser(mapped) : '';
    }
    const lids = lidStore(this.opts.db);
    if (pn.endsWith('@s.whatsapp.net')) {
      const waId = pn.split('@')[0]!;
      await lids.learn(lid, waId);
      return waId;
    }
    return (await lids.numberOf(lid)) ?? `${lid}@lid`;
  }
}
