import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Log } from '../../app/deps.js';
import { sameSecret } from '../../secret.js';
import { vipSign } from './client.js';
import { Timers } from '../timers.js';

interface VipService {
  code: string;
  game?: string;
  brand?: string;
  name: string;
  price: { basic: number; premium: number; special: number };
  status: 'available' | 'empty';
  endpoint: 'game-feature' | 'prepaid';
}

export interface VipTx {
  trxid: string;
  data: string;
  zone: string;
  service: string;
  code: string;
  status: 'waiting' | 'processing' | 'success' | 'error';
  note: string;
  price: number;
  created_at: string;
  then: 'success' | 'error';
}

export const VIP_SERVICES: readonly VipService[] = [
  { code: 'MLBB86', game: 'Mobile Legends', name: 'Mobile Legends 86 Diamonds', price: { basic: 19_800, premium: 19_600, special: 19_500 }, status: 'available', endpoint: 'game-feature' },
  { code: 'FF70', game: 'Free Fire', name: 'Free Fire 70 Diamonds', price: { basic: 9_500, premium: 9_400, special: 9_300 }, status: 'available', endpoint: 'game-feature' },
  { code: 'XLPULSA10', brand: 'XL', name: 'XL 10.000', price: { basic: 10_400, premium: 10_300, special: 10_200 }, status: 'available', endpoint: 'prepaid' },
];

/**
 * A local stand-in for VIP-Reseller (reference §10) speaking its protocol: form POSTs to
 * `/game-feature`, `/prepaid`, `/profile` with `key` and `sign` = md5(API_ID + API_KEY),
 * `{result, data, message}` answers, its own `trxid` per order (no reference of ours),
 * `type=status` by trxid or `limit`, `get-nickname`, and callbacks signed with
 * `X-Client-Signature`. Targets ending 1232 fail, 1234 wait then fail; the rest wait, then
 * succeed. An ID ending 0000 has no nickname. The knobs fail it the way the real one does.
 */
export class VipSandbox {
  readonly apiId = `vip-${randomBytes(4).toString('hex')}`;
  readonly apiKey = randomBytes(16).toString('hex');
  readonly orders: VipTx[] = [];
  services: VipService[] = VIP_SERVICES.map((s) => ({ ...s, price: { ...s.price } }));
  balance = 2_000_000;
  level: 'basic' | 'premium' | 'special' = 'basic';
  /* Knobs (tests): */
  /** Milliseconds before a waiting order settles and calls back. */
  settleMs = 1_500;
  /** Milliseconds before each answer, the work done already (longer than kedai's timeout = a lost answer). */
  delayMs = 0;
  /** Refuse the next orders with `result: false` (a definite failure). */
  refuseNext = 0;
  callbacks: 'once' | 'drop' = 'once';
  nicknameChecks = 0;
  /** The game each nickname check named (`code`). */
  readonly nicknameGames: string[] = [];
  private readonly timers = new Timers();

  constructor(
    private readonly callbackUrl: () => string | null,
    private readonly log: Log,
  ) {}

  register(app: FastifyInstance, prefix = '/sandbox/vipreseller/api'): void {
    void app.register(async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
      for (const endpoint of ['game-feature', 'prepaid', 'profile'] as const) {
        scope.post(`${prefix}/${endpoint}`, async (req, reply) => {
          const answer = this.answer(endpoint, req);
          if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
          return reply.code(200).send(answer);
        });
      }
    });
  }

  close(): void {
    this.timers.clear();
  }

  private answer(endpoint: 'game-feature' | 'prepaid' | 'profile', req: FastifyRequest): unknown {
    const b = (req.body ?? {}) as Record<string, string>;
    if (b.key !== this.apiKey || !sameSecret(b.sign, vipSign(this.apiId, this.apiKey))) return { result: false, message: 'Permintaan tidak sah (API Key/Sign salah).' };
    if (endpoint === 'profile') return { result: true, data: { full_name: 'Sandbox', username: 'kedai', balance: this.balance, level: this.level }, message: 'Berhasil' };
    switch (b.type) {
      case 'services':
        return { result: true, data: this.services.filter((s) => s.endpoint === endpoint).map(({ endpoint: _e, ...s }) => ({ ...s, server: '1' })), message: 'Berhasil' };
      case 'order':
        return this.order(endpoint, b);
      case 'status': {
        const list = b.trxid ? this.orders.filter((o) => o.trxid === b.trxid) : this.orders.slice(-Math.max(1, Number(b.limit) || 10)).reverse();
        if (b.trxid && !list.length) return { result: false, message: 'Transaksi tidak ditemukan.' };
        return { result: true, data: list.map((o) => this.view(o)), message: 'Detail transaksi berhasil didapatkan.' };
      }
      case 'get-nickname': {
        this.nicknameChecks++;
        this.nicknameGames.push(b.code ?? '');
        const target = b.target ?? '';
        if (!/^\d{4,16}$/.test(target) || target.endsWith('0000')) return { result: false, message: 'ID tidak ditemukan.' };
        return { result: true, data: `Player${target.slice(-4)}${b.additional_target ? `_${b.additional_target}` : ''}`, message: 'Berhasil' };
      }
      default:
        return { result: false, message: 'Tipe tidak valid.' };
    }
  }

  private order(endpoint: string, b: Record<string, string>): unknown {
    const s = this.services.find((x) => x.code === b.service && x.endpoint === endpoint);
    if (!s || s.status !== 'available') return { result: false, message: 'Layanan tidak tersedia.' };
    if (this.refuseNext > 0) {
      this.refuseNext--;
      return { result: false, message: 'Pesanan gagal dibuat, silakan coba lagi.' };
    }
    const price = s.price[this.level];
    if (this.balance < price) return { result: false, message: 'Saldo tidak mencukupi.' };
    this.balance -= price;
    const target = `${b.data_no ?? ''}${b.data_zone ?? ''}`;
    const tx: VipTx = {
      trxid: `VIP${Date.now().toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`,
      data: b.data_no ?? '',
      zone: b.data_zone ?? '',
      service: s.name,
      code: s.code,
      status: 'waiting',
      note: '',
      price,
      created_at: new Date().toISOString(),
      then: target.endsWith('1234') ? 'error' : 'success',
    };
    this.orders.push(tx);
    if (target.endsWith('1232')) this.settle(tx, 'error');
    else this.timers.later(() => this.finish(tx), this.settleMs);
    return { result: true, data: { ...this.view(tx), balance: this.balance }, message: 'Pesanan berhasil, pesanan akan diproses.' };
  }

  private settle(tx: VipTx, status: 'success' | 'error'): void {
    tx.status = status;
    if (status === 'success') tx.note = `SN:${Date.now().toString().slice(-10)}${randomBytes(2).toString('hex').toUpperCase()}`;
    else {
      tx.note = 'Gagal diproses, saldo dikembalikan.';
      this.balance += tx.price;
    }
  }

  private finish(tx: VipTx): void {
    this.settle(tx, tx.then);
    if (this.callbacks !== 'drop') void this.callback(tx);
  }

  view(tx: VipTx): Record<string, unknown> {
    const { then: _t, code: _c, ...shown } = tx;
    return shown;
  }

  /** POSTs the order's state to kedai as VIP-Reseller does, signed with X-Client-Signature. */
  async callback(tx: VipTx, signature = vipSign(this.apiId, this.apiKey)): Promise<number> {
    const url = this.callbackUrl();
    if (!url) return 0;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-client-signature': signature },
        body: JSON.stringify({ result: true, data: this.view(tx), message: 'Callback' }),
        signal: AbortSignal.timeout(10_000),
      });
      return res.status;
    } catch (err) {
      this.log.debug({ err }, 'vip sandbox: callback not delivered');
      return 0;
    }
  }
}
