import { createHash } from 'node:crypto';
import { requestText, SUPPLIER_REPLY_BYTES } from '../http-json.js';
import { z } from 'zod';
import type { BillInquiry, Supplier, SupplierPrice, SupplierReply, TopupRequest } from '../../app/ports.js';
import { readBill, readPascaItem } from './pasca.js';
import { outcomeOf, readMeterCheck, refusedBeforeTransaction, snOf, type MeterCheck } from '../../domain/topup.js';

export interface DigiflazzOptions {
  username: string;
  apiKey: string;
  /** `https://api.digiflazz.com/v1` (or the built-in sandbox). */
  url: string;
  /** Sends `testing: true` (development key, the documented test numbers). */
  testing: boolean;
  /** Per call. A top-up not answered in time is unknown, never failed. */
  timeoutMs?: number;
}

/** `md5(username + apiKey + X)`, lowercase hex (reference §0). */
export const digiflazzSign = (username: string, apiKey: string, x: string): string => createHash('md5').update(username + apiKey + x, 'utf8').digest('hex');

const rupiah = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);
const hhmm = z
  .string()
  .optional()
  .transform((s) => (s && /^[0-2]\d:[0-5]\d$/.test(s) ? s : '00:00'));
const priceItem = z.looseObject({
  buyer_sku_code: z.string().min(1).max(64),
  product_name: z.string().default(''),
  category: z.string().default(''),
  brand: z.string().default(''),
  price: rupiah,
  buyer_product_status: z.boolean().default(false),
  seller_product_status: z.boolean().default(false),
  unlimited_stock: z.boolean().default(false),
  stock: rupiah.default(0),
  multi: z.boolean().default(true),
  start_cut_off: hhmm,
  end_cut_off: hhmm,
  desc: z.string().default(''),
});

/** The seller's Telegram and WhatsApp contacts never leave this adapter (reference §8). */
function withoutContacts(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  const { tele: _t, wa: _w, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** What Digiflazz's `data` says about a transaction; `unknown` when it cannot be read as one. */
export function readTransaction(body: unknown, refId: string): SupplierReply {
  const data = (body as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object') return unknownReply('no data in the answer', body);
  const d = data as Record<string, unknown>;
  // An answer about another transaction is no answer about ours ("" on payload errors, reference §1).
  if (typeof d.ref_id === 'string' && d.ref_id !== '' && d.ref_id !== refId) return unknownReply(`answer for another ref_id ${d.ref_id.slice(0, 40)}`, body);
  const rc = typeof d.rc === 'string' ? d.rc : null;
  const outcome = outcomeOf(d.status, rc);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null);
  return {
    outcome,
    // "Terbentuk Transaksi = Tidak": the request was refused, whatever the ref_id's transaction is.
    refused: outcome === 'failed' && refusedBeforeTransaction(rc),
    rc,
    message: typeof d.message === 'string' ? d.message.slice(0, 300) : '',
    sn: snOf(d.sn),
    price: num(d.price),
    balance: num(d.buyer_last_saldo),
    raw: withoutContacts(d),
  };
}

export const unknownReply = (message: string, raw: unknown = null): SupplierReply => ({ outcome: 'unknown', rc: null, message, sn: null, price: null, balance: null, raw });

/**
 * The Digiflazz buyer API: every call a signed JSON POST. Never decided by the
 * HTTP status alone: the body's `data.status` and `rc` decide, and only a
 * transport error, a timeout, a 5xx without a readable answer or an unreadable
 * body is unknown (re-checked later with the same ref_id, never refunded).
 */
export function digiflazzSupplier(opts: DigiflazzOptions): Supplier {
  const { username, apiKey, testing } = opts;
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;

  const post = async (path: string, body: Record<string, unknown>, ms = timeoutMs): Promise<{ status: number; json: unknown }> => {
    // node:http, not fetch (adapters/http-json.ts): the first fetch loads undici, ~28 MB resident.
    const res = await requestText('POST', `${base}${path}`, { type: 'application/json', body: JSON.stringify(body) }, { accept: 'application/json' }, ms, SUPPLIER_REPLY_BYTES);
    const raw = res.text;
    let json: unknown = undefined;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  };

  /** A prepaid top-up (its re-check is the same call), or a bill's payment or status (`pay-pasca`, `status-pasca`). */
  const transaction = async (req: TopupRequest, commands?: 'pay-pasca' | 'status-pasca'): Promise<SupplierReply> => {
    try {
      const { status, json } = await post('/transaction', {
        ...(commands ? { commands } : {}),
        username,
        buyer_sku_code: req.sku,
        customer_no: req.customerNo,
        ref_id: req.refId,
        sign: digiflazzSign(username, apiKey, req.refId),
        // The bill's amount was fixed by its inquiry; max_price is a prepaid field.
        ...(commands ? {} : { max_price: req.maxPrice }),
        ...(testing ? { testing: true } : {}),
      });
      const reply = readTransaction(json, req.refId);
      // A 5xx that still carries a readable transaction is that transaction; otherwise nothing is known.
      if (status >= 500 && reply.outcome === 'unknown') return unknownReply(`HTTP ${status}`);
      return reply;
    } catch (err) {
      const e = err as Error;
      return unknownReply(e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network: ${e.message}`.slice(0, 200));
    }
  };

  return {
    name: 'digiflazz',
    skuPrefix: '',
    order: (req) => transaction(req, req.postpaid ? 'pay-pasca' : undefined),
    // "Cek status dapat dilakukan dengan melakukan topup ulang dengan ref id yang sama" (reference §4); a bill has status-pasca.
    check: (req) => transaction(req, req.postpaid ? 'status-pasca' : undefined),
    async inquireBill(req): Promise<BillInquiry> {
      try {
        // The buyer waits for it: a few seconds at most.
        const { status, json } = await post(
          '/transaction',
          { commands: 'inq-pasca', username, buyer_sku_code: req.sku, customer_no: req.customerNo, ref_id: req.refId, sign: digiflazzSign(username, apiKey, req.refId), ...(testing ? { testing: true } : {}) },
          Math.min(timeoutMs, 15_000),
        );
        const bill = readBill(json, req.refId);
        return status >= 500 && bill.outcome === 'unknown' ? { outcome: 'unknown', message: `HTTP ${status}` } : bill;
      } catch (err) {
        return { outcome: 'unknown', message: (err as Error).name === 'TimeoutError' ? 'no answer in time' : 'network' };
      }
    },
    async priceList() {
      const { status, json } = await post('/price-list', { cmd: 'prepaid', username, sign: digiflazzSign(username, apiKey, 'pricelist') });
      const data = (json as { data?: unknown } | undefined)?.data;
      if (Array.isArray(data)) {
        // Bills are listed apart (`cmd: pasca`); the whole list is replaced at once, so both are read or neither.
        const pasca = await post('/price-list', { cmd: 'pasca', username, sign: digiflazzSign(username, apiKey, 'pricelist') });
        const bills = (pasca.json as { data?: unknown } | undefined)?.data;
        if (!Array.isArray(bills)) {
          const b = (bills ?? {}) as { rc?: unknown; message?: unknown };
          if (b.rc === '83') return 'rate_limited';
          throw new Error(`digiflazz postpaid price list: ${typeof b.message === 'string' ? `rc ${String(b.rc)} ${b.message}` : `HTTP ${pasca.status}`}`.slice(0, 200));
        }
        const list: SupplierPrice[] = bills.map(readPascaItem).filter((x): x is SupplierPrice => x !== null);
        for (const item of data) {
          const p = priceItem.safeParse(item);
          if (!p.success) continue;
          const i = p.data;
          list.push({
            sku: i.buyer_sku_code,
            name: i.product_name.slice(0, 200),
            category: i.category.slice(0, 100),
            brand: i.brand.slice(0, 100),
            cost: Math.round(i.price),
            active: i.buyer_product_status && i.seller_product_status && (i.unlimited_stock || i.stock > 0),
            cutOffStart: i.start_cut_off,
            cutOffEnd: i.end_cut_off,
            multi: i.multi,
            description: i.desc.slice(0, 1000),
          });
        }
        return list;
      }
      const d = (data ?? {}) as { rc?: unknown; message?: unknown };
      if (d.rc === '83') return 'rate_limited';
      throw new Error(`digiflazz price list: ${typeof d.message === 'string' ? `rc ${String(d.rc)} ${d.message}` : `HTTP ${status}`}`.slice(0, 200));
    },
    async checkMeter(meter: string): Promise<MeterCheck> {
      try {
        // Reference §8.7: the documented check, signed with the meter number.
        // The buyer waits for it: a few seconds at most, then the sale goes on unchecked.
        const { json } = await post('/inquiry-pln', { username, customer_no: meter, sign: digiflazzSign(username, apiKey, meter) }, Math.min(timeoutMs, 5_000));
        return readMeterCheck((json as { data?: unknown } | undefined)?.data);
      } catch {
        return null;
      }
    },
    async balance() {
      const { status, json } = await post('/cek-saldo', { cmd: 'deposit', username, sign: digiflazzSign(username, apiKey, 'depo') });
      const d = (json as { data?: { deposit?: unknown; rc?: unknown; message?: unknown } } | undefined)?.data;
      const deposit = rupiah.safeParse(d?.deposit);
      if (deposit.success) return Math.round(deposit.data);
      throw new Error(`digiflazz balance: ${typeof d?.message === 'string' ? `rc ${String(d.rc)} ${d.message}` : `HTTP ${status}`}`.slice(0, 200));
    },
  };
}
