import { createHash } from 'node:crypto';
import { requestText, SUPPLIER_REPLY_BYTES } from '../http-json.js';
import { z } from 'zod';
import type { Supplier, SupplierPrice, SupplierReply, TopupRequest } from '../../app/ports.js';
import { RECHECK_SECONDS_QUICK, type SupplierOutcome } from '../../domain/topup.js';

/*
 * VIP-Reseller (VIPayment), reference §10: form POSTs to `/game-feature`, `/prepaid` and
 * `/profile`, each with `key` and the static `sign` = md5(API_ID + API_KEY). It names each
 * order with its own `trxid` and takes no reference of ours, so an order is sent once: an
 * answer lost on the way is reconciled from its recent orders (`type=status&limit=`), matched
 * by target, zone, service and time, and never by ordering again.
 */

export interface VipOptions {
  apiId: string;
  apiKey: string;
  /** `https://vip-reseller.co.id/api` (or the built-in sandbox). */
  url: string;
  timeoutMs?: number;
}

export const VIP_PREFIX = 'vip:';
export const vipSign = (apiId: string, apiKey: string): string => createHash('md5').update(apiId + apiKey, 'utf8').digest('hex');

const amount = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);
const service = z.looseObject({
  code: z.string().min(1).max(60),
  game: z.string().optional(),
  brand: z.string().optional(),
  name: z.string().default(''),
  price: z.union([amount, z.record(z.string(), amount)]),
  status: z.string().default(''),
});
const trx = z.looseObject({
  trxid: z.union([z.string(), z.number()]).transform(String),
  data: z.union([z.string(), z.number()]).transform(String).optional(),
  zone: z.union([z.string(), z.number()]).transform(String).optional(),
  service: z.string().optional(),
  status: z.string().optional(),
  note: z.string().optional(),
  price: amount.optional(),
  balance: amount.optional(),
  created_at: z.string().optional(),
});
export type VipTrx = z.infer<typeof trx>;

const OUTCOME: Record<string, SupplierOutcome> = { waiting: 'pending', processing: 'pending', pending: 'pending', success: 'success', error: 'failed', failed: 'failed', gagal: 'failed' };

/** The SN in a note (`SN:250010230023`), or the note itself when it names none. */
const snIn = (note: string | undefined): string | null => {
  const n = (note ?? '').trim();
  if (!n || n === '-') return null;
  return (/SN\s*:\s*(\S+)/i.exec(n)?.[1] ?? n).slice(0, 200);
};

/** One of VIP's transactions read as kedai's answer about it. */
export function readVipTrx(t: VipTrx, message = ''): SupplierReply {
  const outcome = OUTCOME[(t.status ?? '').toLowerCase()] ?? 'pending';
  return {
    outcome,
    rc: t.status ?? null,
    message: (message || t.note || t.status || '').slice(0, 300),
    sn: outcome === 'success' ? snIn(t.note) : null,
    price: t.price === undefined ? null : Math.round(t.price),
    balance: t.balance === undefined ? null : Math.round(t.balance),
    raw: t,
    supplierRef: t.trxid,
  };
}

const unknown = (message: string): SupplierReply => ({ outcome: 'unknown', rc: null, message, sn: null, price: null, balance: null, raw: null });

export function vipResellerSupplier(opts: VipOptions): Supplier {
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const auth = { key: opts.apiKey, sign: vipSign(opts.apiId, opts.apiKey) };
  /** What each service is, from the last services call: its endpoint, its name and cost (a price above max_price is never ordered). */
  const known = new Map<string, { endpoint: 'game-feature' | 'prepaid'; name: string; cost: number }>();

  const post = async (path: string, fields: Record<string, string>, ms = timeoutMs): Promise<{ status: number; json: { result?: unknown; data?: unknown; message?: unknown } | undefined }> => {
    // node:http, not fetch (adapters/http-json.ts): the first fetch loads undici, ~28 MB resident.
    const res = await requestText(
      'POST',
      `${base}/${path}`,
      { type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ ...auth, ...fields }).toString() },
      { accept: 'application/json' },
      ms,
      SUPPLIER_REPLY_BYTES,
    );
    const text = res.text;
    try {
      return { status: res.status, json: text ? (JSON.parse(text) as never) : undefined };
    } catch {
      return { status: res.status, json: undefined };
    }
  };
  const messageOf = (json: { message?: unknown } | undefined) => (typeof json?.message === 'string' ? json.message.slice(0, 300) : '');

  const level = async (): Promise<string> => {
    const { json } = await post('profile', {});
    const d = json?.data as { level?: unknown } | undefined;
    return typeof d?.level === 'string' ? d.level : 'basic';
  };

  const services = async (): Promise<SupplierPrice[]> => {
    const lvl = await level();
    const list: SupplierPrice[] = [];
    for (const endpoint of ['game-feature', 'prepaid'] as const) {
      const { status, json } = await post(endpoint, { type: 'services' });
      if (json?.result !== true || !Array.isArray(json.data)) throw new Error(`vip-reseller ${endpoint} services: ${messageOf(json) || `HTTP ${status}`}`.slice(0, 200));
      for (const item of json.data) {
        const s = service.safeParse(item);
        if (!s.success) continue;
        const price = typeof s.data.price === 'number' ? s.data.price : (s.data.price[lvl] ?? s.data.price.basic);
        if (price === undefined) continue;
        known.set(s.data.code, { endpoint, name: s.data.name, cost: Math.round(price) });
        list.push({
          sku: `${VIP_PREFIX}${s.data.code}`,
          name: s.data.name.slice(0, 200),
          category: endpoint === 'game-feature' ? 'Games' : 'Prepaid',
          brand: (s.data.game ?? s.data.brand ?? '').slice(0, 100),
          cost: Math.round(price),
          active: s.data.status.toLowerCase() === 'available',
          cutOffStart: '00:00',
          cutOffEnd: '00:00',
          multi: true,
          description: '',
        });
      }
    }
    return list;
  };

  const parts = (req: TopupRequest) => {
    const zl = req.zoneLength ?? 0;
    return { id: zl > 0 ? req.customerNo.slice(0, -zl) : req.customerNo, zone: zl > 0 ? req.customerNo.slice(-zl) : '' };
  };

  return {
    name: 'vipreseller',
    skuPrefix: VIP_PREFIX,
    recheckSeconds: RECHECK_SECONDS_QUICK,
    async order(req) {
      const code = req.sku.slice(VIP_PREFIX.length);
      // Nothing is sent before the service is known: a list that cannot be read refuses this order (nothing bought).
      if (!known.has(code)) await services().catch(() => undefined);
      try {
        const s = known.get(code);
        // Not a service it lists now: nothing is ordered (a definite refusal of this request).
        if (!s) return { ...unknown(`service ${code} is not listed`), outcome: 'failed', refused: true };
        // Sold is bought: never at a cost above the one it was sold with.
        if (s.cost > req.maxPrice) return { ...unknown(`price ${s.cost} above the cost sold at (${req.maxPrice})`), outcome: 'failed', refused: true, rc: 'price' };
        const { id, zone } = parts(req);
        const { status, json } = await post(s.endpoint, { type: 'order', service: code, data_no: id, ...(zone ? { data_zone: zone } : {}) });
        if (json?.result === true) {
          const t = trx.safeParse(json.data);
          return t.success ? readVipTrx(t.data, messageOf(json)) : unknown('an order answer without a trxid');
        }
        // `result: false` refuses the order before it is made (balance, service, key): nothing was bought.
        if (json?.result === false) return { outcome: 'failed', refused: true, rc: null, message: messageOf(json) || 'refused', sn: null, price: null, balance: null, raw: json };
        return unknown(`HTTP ${status}`);
      } catch (err) {
        return unknown((err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network: ${(err as Error).message}`.slice(0, 200));
      }
    },
    async check(req) {
      const code = req.sku.slice(VIP_PREFIX.length);
      try {
        const endpoint = known.get(code)?.endpoint ?? 'game-feature';
        if (req.supplierRef) {
          const { json } = await post(endpoint, { type: 'status', trxid: req.supplierRef });
          const first = Array.isArray(json?.data) ? json.data[0] : json?.data;
          const t = trx.safeParse(first);
          return json?.result === true && t.success ? readVipTrx(t.data) : unknown(messageOf(json) || 'status not readable');
        }
        // The order's answer was lost: find it among the recent orders, never order again.
        const { json } = await post(endpoint, { type: 'status', limit: '50' });
        if (json?.result !== true || !Array.isArray(json.data)) return unknown(messageOf(json) || 'recent orders not readable');
        const { id, zone } = parts(req);
        const name = known.get(code)?.name;
        const since = (req.placedAt?.getTime() ?? 0) - 60_000;
        const matches = json.data
          .map((x) => trx.safeParse(x))
          .filter((t): t is { success: true; data: VipTrx } => t.success)
          .map((t) => t.data)
          .filter((t) => t.data === id && (t.zone ?? '') === zone && (t.service === code || t.service === name) && (!t.created_at || Date.parse(t.created_at) >= since));
        if (matches.length === 1) return readVipTrx(matches[0]!);
        return unknown(matches.length ? `${matches.length} recent orders match; asking an admin` : 'not among the recent orders yet');
      } catch (err) {
        return unknown((err as Error).name === 'TimeoutError' ? 'no answer in time' : 'network');
      }
    },
    async priceList() {
      return services();
    },
    async balance() {
      const { status, json } = await post('profile', {});
      const d = json?.data as { balance?: unknown } | undefined;
      const b = amount.safeParse(d?.balance);
      if (json?.result === true && b.success) return Math.round(b.data);
      throw new Error(`vip-reseller balance: ${messageOf(json) || `HTTP ${status}`}`.slice(0, 200));
    },
    async checkGameId(game, id, zone) {
      try {
        const { json } = await post('game-feature', { type: 'get-nickname', code: game, target: id, ...(zone ? { additional_target: zone } : {}) }, Math.min(timeoutMs, 8_000));
        if (json?.result === true && typeof json.data === 'string' && json.data.trim()) return { found: true, name: json.data.trim().slice(0, 60) };
        if (json?.result === false) return { found: false, message: messageOf(json) };
        return null;
      } catch {
        return null;
      }
    },
  };
}
