import { EventEmitter } from 'node:events';
import type { GroupMetadata, WAMessageKey } from '@whiskeysockets/baileys';
import type { SocketFactory, SocketLike } from '../../src/adapters/whatsapp/baileys.js';

/** A stand-in for Baileys' socket: it emits Baileys-shaped events and records what is sent. */
export class FakeSocket implements SocketLike {
  readonly ev = new EventEmitter();
  readonly sent: { jid: string; content: Record<string, unknown> }[] = [];
  ended = false;
  /** Baileys' own LID map (what WhatsApp told the socket); the keys read; group metadata fetches. */
  readonly lids = new Map<string, string>();
  readonly read: WAMessageKey[] = [];
  metadataFetches = 0;
  readonly signalRepository = { lidMapping: { getPNForLID: async (lid: string) => this.lids.get(lid) ?? null } };
  constructor(readonly config: Parameters<SocketFactory>[0]) {}
  async sendMessage(jid: string, content: Record<string, unknown>) {
    this.sent.push({ jid, content });
    return { key: { id: `OUT${this.sent.length}`, remoteJid: jid, fromMe: true }, message: { conversation: String(content.text ?? '') } };
  }
  async readMessages(keys: WAMessageKey[]) {
    this.read.push(...keys);
  }
  async groupMetadata(jid: string) {
    this.metadataFetches++;
    return { id: jid, subject: 'Grup', participants: [] } as unknown as GroupMetadata;
  }
  async requestPairingCode() {
    return 'KEDAI123';
  }
  end() {
    this.ended = true;
  }
}

