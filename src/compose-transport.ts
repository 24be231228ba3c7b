import type { Logger } from 'pino';
import type { Database } from './adapters/postgres/db.js';
import { inboundQueue } from './adapters/postgres/repos/inbound-queue.js';
import type { SocketFactory } from './adapters/whatsapp/baileys.js';
import { CloudTransport } from './adapters/whatsapp/cloud.js';
import { ConsoleTransport } from './adapters/whatsapp/console.js';
import { WebChatTransport } from './adapters/whatsapp/webchat.js';
import type { Transport } from './app/ports.js';
import type { Config } from './config.js';

/** Baileys (and its ~60 MB of libraries) is loaded only when it is the transport. */
export async function pickTransport(config: Readonly<Config>, log: Logger, db: Database, opts: { consoleAs?: string; baileysSocket?: SocketFactory }): Promise<Transport> {
  switch (config.transport) {
    case 'webchat':
      return new WebChatTransport(log, [...(config.demoAdmin ? [config.demoAdmin] : []), '6281234567890'], 500, config.locale);
    case 'console':
      return new ConsoleTransport(opts.consoleAs ?? config.adminNumbers[0] ?? '6281234567890');
    case 'cloud': {
      const w = config.whatsapp;
      return new CloudTransport(
        { token: w.cloudToken!, phoneNumberId: w.phoneNumberId!, appSecret: w.appSecret!, verifyToken: w.verifyToken!, graphUrl: w.graphUrl, markRead: w.markRead, queue: inboundQueue(db, db.relaxed), ...(w.noticeTemplate ? { noticeTemplate: w.noticeTemplate } : {}) },
        log,
      );
    }
    case 'baileys':
      const { BaileysTransport } = await import('./adapters/whatsapp/baileys.js');
      return new BaileysTransport({
        db,
        log,
        pairingNumber: config.whatsapp.pairingNumber,
        makeSocket: opts.baileysSocket,
        markRead: config.whatsapp.markRead,
        // Several processes on one PostgreSQL database: one of them holds the number's link.
        ...(db.holdLock ? { linkLock: () => db.holdLock!(WHATSAPP_LINK_LOCK) } : {}),
      });
  }
}

/** The advisory lock of the WhatsApp Web link (any fixed number, the same in every kedai process). */
const WHATSAPP_LINK_LOCK = 5_318_008_420;
