import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Log } from '../../app/deps.js';
import { sameSecret } from '../../secret.js';
import { digiflazzSign } from './client.js';
import { PascaSandbox } from './sandbox-pasca.js';
import { Timers } from '../timers.js';

/** HMAC-SHA1 of the raw body with the webhook secret, as Digiflazz signs its callbacks. */
export const hubSignature = (secret: string, body: string): string => `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('hex')}`;

interface SandboxSku {
  sku: string;
  name: string;
  category: string;
  brand: string;
  price: number;
  active: boolean;
  multi: boolean;
  start: string;
  end: string;
  desc: string;
}

interface SandboxTx {
  refId: string;
  sku: string;
  customerNo: string;
  price: number;
  status: 'Sukses' | 'Pending' | 'Gagal';
  rc: string;
  sn: string;
  /** What a pending one becomes. */
  then?: 'Sukses' | 'Gagal';
  /** How many times the order was received (the first creates it; the rest are status checks). */
  calls: number;
}

/** The test destinations of reference §7, by their last four digits. */
const TEST_ENDINGS: Record<string, { first: SandboxTx['status']; then?: 'Sukses' | 'Gagal' }> = {
  '1230': { first: 'Sukses' },
  '1232': { first: 'Gagal' },
  '1233': { first: 'Pending', then: 'Sukses' },
  '1234': { first: 'Pending', then: 'Gagal' },
};

const MESSAGES: Record<string, string> = { '00': 'Transaksi Sukses', '02': 'Transaksi Gagal', '03': 'Transaksi Pending' };

export const SANDBOX_SKUS: readonly SandboxSku[] = [
  { sku: 'xld10', name: 'XL 10.000', category: 'Pulsa', brand: 'XL', price: 10_200, active: true, multi: true, start: '00:00', end: '00:00', desc: 'Pulsa XL Rp 10.000' },
  { sku: 'ml86', name: 'MOBILE LEGENDS 86 Diamonds', category: 'Games', brand: 'MOBILE LEGENDS', price: 19_500, active: true, multi: true, start: '00:00', end: '00:00', desc: 'ID + Zone' },
  { sku: 'pln20', name: 'PLN 20.000', category: 'PLN', brand: 'PLN', price: 20_300, active: true, multi: true, start: '23:00', end: '00:30', desc: 'Token PLN' },
];

/**
 * A local stand-in for Digiflazz's buyer API that speaks its protocol: signed
 * JSON POSTs under `/v1`, `{"data": …}` answers with its status, rc and messages,
 * the documented test numbers, ref_id as the idempotency and status key, and
 * signed callbacks when a pending transaction settles. The production adapter
 * talks to it unchanged. It is the quick start's supplier, and in tests the knobs
 * below make it fail the way the real one does.
 */
export class DigiflazzSandbox {
  readonly username = 'kedai-sandbox';
  readonly apiKey = `dev-${randomBytes(16).toString('hex')}`;
  readonly webhookSecret = randomBytes(16).toString('hex');
  readonly transactions = new Map<string, SandboxTx>();
  skus: SandboxSku[] = SANDBOX_SKUS.map((s) => ({ ...s }));
  deposit = 5_000_000;
  /* Knobs (tests): */
  /** Milliseconds before each answer, the work done already (longer than the client's timeout = a slow supplier). */
  delayMs = 0;
  /** Answer this many calls with an HTML 502 before answering again. */
  failNext = 0;
  /** Milliseconds before a pending transaction settles and calls back. */
  settleMs = 2_000;
  /** Callbacks: sent once, dropped, sent twice, or a stale `Pending` sent after the final one. */
  callbacks: 'once' | 'drop' | 'twice' | 'stale_after' = 'once';
  /** rc 83 for a second price list within this many ms. */
  priceListEveryMs = 0;
  /** When each list (`prepaid`, `pasca`) was last given. */
  private readonly lastPriceList = new Map<string, number>();
  /** PLN meter checks answered (tests). */
  meterChecks = 0;
  /**
   * The next /transaction calls answered with these instead (one each), the stored transaction
   * untouched: a request refused before it reaches any transaction (rc 45 "IP Anda tidak kami
   * kenali", rc 41, rc 44 …), or an rc kedai does not know.
   */
  answerNext: { status: 'Sukses' | 'Pending' | 'Gagal'; rc: string; message: string; sn?: string }[] = [];
  /** What a Sukses carries as its SN: a serial number, or none as real replies sometimes do (`""`, `N/A`, `-`). */
  snStyle: 'serial' | '' | 'N/A' | '-' = 'serial';
  /** false: callbacks go out without X-Hub-Signature (a webhook set up without a secret). */
  signCallbacks = true;
  private readonly timers = new Timers();
  /** Bills: inq-pasca, pay-pasca, status-pasca and the `pasca` price list. */
  readonly pasca = new PascaSandbox(
    {
      take: (n) => (this.deposit >= n ? ((this.deposit -= n), true) : false),
      give: (n) => void (this.deposit += n),
    },
    (settle) => this.timers.later(() => void (this.callbacks === 'drop' ? settle() : this.callback(settle())), this.settleMs),
  );

  constructor(
    private readonly callbackUrl: () => string | null,
    private readonly log: Log,
  ) {}

  register(app: FastifyInstance, prefix = '/sandbox/digiflazz/v1'): void {
    app.post(`${prefix}/transaction`, (req, reply) => this.answer(reply, () => this.transaction(req.body)));
    app.post(`${prefix}/price-list`, (req, reply) => this.answer(reply, () => this.priceList(req.body)));
    app.post(`${prefix}/cek-saldo`, (req, reply) => this.answer(reply, () => this.balance(req.body)));
    app.post(`${prefix}/inquiry-pln`, (req, reply) => this.answer(reply, () => this.meter(req.body)));
  }

  close(): void {
    this.timers.clear();
  }

  private async answer(reply: FastifyReply, fn: () => { code: number; data: unknown }): Promise<unknown> {
    if (this.failNext > 0) {
      this.failNext--;
      return reply.code(502).type('text/html').send('<html><body>502 Bad Gateway</body></html>');
    }
    // Done at once, answered late: a client that gave up meanwhile does not know the transaction exists.
    const { code, data } = fn();
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    return reply.code(code).send({ data });
  }

  private signedBy(body: Record<string, unknown>, x: string): boolean {
    return body.username === this.username && sameSecret(body.sign, digiflazzSign(this.username, this.apiKey, x));
  }

  private transaction(raw: unknown): { code: number; data: unknown } {
    const b = (raw ?? {}) as Record<string, unknown>;
    const refId = typeof b.ref_id === 'string' ? b.ref_id : '';
    const echo = { ref_id: refId, customer_no: String(b.customer_no ?? ''), buyer_sku_code: String(b.buyer_sku_code ?? '') };
    const gagal = (rc: string, message: string, code = 400) => ({ code, data: { ...echo, message, status: 'Gagal', rc, sn: '' } });
    if (!refId || typeof b.buyer_sku_code !== 'string' || typeof b.customer_no !== 'string' || typeof b.sign !== 'string') return gagal('40', 'Invalid Payload');
    if (b.username !== this.username) return gagal('42', 'Username belum sesuai');
    if (!this.signedBy(b, refId)) return gagal('41', 'Signature Anda salah');
    const forced = this.answerNext.shift();
    if (typeof b.commands === 'string' && /^(inq|pay|status)-pasca$/.test(b.commands)) {
      if (forced) return { code: forced.status === 'Gagal' ? 400 : 200, data: { ...echo, message: forced.message, status: forced.status, rc: forced.rc, sn: forced.sn ?? '' } };
      return this.pasca.handle(b.commands, echo);
    }
    if (forced) return { code: forced.status === 'Gagal' ? 400 : 200, data: { ...echo, message: forced.message, status: forced.status, rc: forced.rc, sn: forced.sn ?? '' } };
    const known = this.transactions.get(refId);
    if (known) {
      known.calls++;
      return { code: known.status === 'Gagal' ? 400 : 200, data: this.view(known) };
    }
    const sku = this.skus.find((s) => s.sku === b.buyer_sku_code);
    if (!sku || !sku.active) return gagal('43', 'Produk sedang Gangguan (Non Aktif)');
    if (typeof b.max_price === 'number' && sku.price > b.max_price) return gagal('69', 'Harga seller lebih besar dari ketentuan harga Buyer');
    if (this.deposit < sku.price) return gagal('44', 'Saldo tidak cukup');
    // Reference §8.5: a multi:false product serves a destination once (a repeat is rc 63).
    if (!sku.multi && [...this.transactions.values()].some((t) => t.sku === sku.sku && t.customerNo === b.customer_no && t.status !== 'Gagal')) {
      return gagal('63', 'Tidak support transaksi multi');
    }
    const plan = TEST_ENDINGS[b.customer_no.slice(-4)] ?? { first: 'Sukses' as const };
    const tx: SandboxTx = { refId, sku: sku.sku, customerNo: b.customer_no, price: sku.price, status: plan.first, rc: '', sn: '', calls: 1, ...(plan.then ? { then: plan.then } : {}) };
    this.settle(tx, plan.first);
    // Charged at Pending and Sukses; a failure is not charged (reference §1).
    if (tx.status !== 'Gagal') this.deposit -= tx.price;
    this.transactions.set(refId, tx);
    if (tx.status === 'Pending') this.timers.later(() => this.finish(tx), this.settleMs);
    return { code: tx.status === 'Gagal' ? 400 : 200, data: this.view(tx) };
  }

  private settle(tx: SandboxTx, status: SandboxTx['status']): void {
    tx.status = status;
    tx.rc = status === 'Sukses' ? '00' : status === 'Pending' ? '03' : '02';
    if (status === 'Sukses') tx.sn = this.snStyle === 'serial' ? `${Date.now().toString().slice(-8)}${randomBytes(3).toString('hex').toUpperCase()}` : this.snStyle;
  }

  private finish(tx: SandboxTx): void {
    const pending = this.view(tx);
    this.settle(tx, tx.then ?? 'Sukses');
    if (tx.status === 'Gagal') this.deposit += tx.price;
    const final = this.view(tx);
    if (this.callbacks === 'drop') return;
    void this.callback(final).then(async () => {
      if (this.callbacks === 'twice') await this.callback(final);
      if (this.callbacks === 'stale_after') await this.callback(pending, 'create');
    });
  }

  private view(tx: SandboxTx): Record<string, unknown> {
    return {
      ref_id: tx.refId,
      customer_no: tx.customerNo,
      buyer_sku_code: tx.sku,
      message: MESSAGES[tx.rc] ?? 'Transaksi Gagal',
      status: tx.status,
      rc: tx.rc,
      buyer_last_saldo: this.deposit,
      sn: tx.sn,
      price: tx.price,
      tele: '@digiflazz_sandbox',
      wa: '081234512345',
    };
  }

  /** POSTs a callback to kedai as Digiflazz does; false when it was not taken. */
  async callback(data: Record<string, unknown>, event: 'create' | 'update' = 'update'): Promise<boolean> {
    const url = this.callbackUrl();
    if (!url) return false;
    const body = JSON.stringify({ data: { trx_id: randomUUID().replace(/-/g, '').slice(0, 24), ...data } });
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'DigiFlazz-Hookshot/sandbox',
          'x-digiflazz-event': event,
          'x-digiflazz-delivery': randomUUID(),
          ...(this.signCallbacks ? { 'x-hub-signature': hubSignature(this.webhookSecret, body) } : {}),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      return res.ok;
    } catch (err) {
      this.log.debug({ err }, 'digiflazz sandbox: callback not delivered');
      return false;
    }
  }

  /** The stored transaction's current answer (tests send it as a callback at will). */
  current(refId: string): Record<string, unknown> | null {
    const tx = this.transactions.get(refId);
    return tx ? this.view(tx) : null;
  }

  private priceList(raw: unknown): { code: number; data: unknown } {
    const b = (raw ?? {}) as Record<string, unknown>;
    if (!this.signedBy(b, 'pricelist')) return { code: 200, data: { rc: '41', message: 'Signature Anda salah' } };
    const now = Date.now();
    const cmd = b.cmd === 'pasca' ? 'pasca' : 'prepaid';
    if (this.priceListEveryMs && now - (this.lastPriceList.get(cmd) ?? 0) < this.priceListEveryMs) return { code: 200, data: { rc: '83', message: 'Limitasi pengecekan pricelist tercapai' } };
    this.lastPriceList.set(cmd, now);
    if (b.cmd === 'pasca') return { code: 200, data: this.pasca.priceList() };
    return {
      code: 200,
      data: this.skus.map((s) => ({
        product_name: s.name,
        category: s.category,
        brand: s.brand,
        type: 'Umum',
        seller_name: 'Sandbox',
        price: s.price,
        buyer_sku_code: s.sku,
        buyer_product_status: s.active,
        seller_product_status: true,
        unlimited_stock: true,
        stock: 0,
        multi: s.multi,
        start_cut_off: s.start,
        end_cut_off: s.end,
        desc: s.desc,
      })),
    };
  }

  /** `/inquiry-pln`: a meter ending in 0000 does not exist, one ending in 0086 hits the check's limit (rc 86); the rest belong to a sandbox customer. */
  private meter(raw: unknown): { code: number; data: unknown } {
    const b = (raw ?? {}) as Record<string, unknown>;
    const meter = typeof b.customer_no === 'string' ? b.customer_no : '';
    if (!meter || !this.signedBy(b, meter)) return { code: 400, data: { rc: '41', message: 'Signature Anda salah', status: 'Gagal' } };
    this.meterChecks++;
    const empty = { customer_no: meter, meter_no: '', subscriber_id: '', name: '', segment_power: '' };
    if (meter.endsWith('0000')) return { code: 400, data: { ...empty, message: 'Nomor Tujuan Salah', status: 'Gagal', rc: '54' } };
    if (meter.endsWith('0086')) return { code: 400, data: { ...empty, message: 'Limitasi pengecekan nomor PLN tercapai', status: 'Gagal', rc: '86' } };
    return { code: 200, data: { message: 'Transaksi Sukses', status: 'Sukses', rc: '00', customer_no: meter, meter_no: meter, subscriber_id: `5${meter.slice(-11)}`, name: 'PELANGGAN SANDBOX', segment_power: 'R1 /000000900' } };
  }

  private balance(raw: unknown): { code: number; data: unknown } {
    const b = (raw ?? {}) as Record<string, unknown>;
    if (b.cmd !== 'deposit' || !this.signedBy(b, 'depo')) return { code: 400, data: { rc: '41', message: 'Signature Anda salah' } };
    return { code: 200, data: { deposit: this.deposit } };
  }
}
