import { z } from 'zod';
import type { BillInquiry, SupplierPrice } from '../../app/ports.js';
import { failureOf, refusedBeforeTransaction } from '../../domain/topup.js';

/*
 * Digiflazz's postpaid side (reference §0, §2, §4): the `pasca` price list, and the
 * inquiry (`inq-pasca`) read for what it says a customer owes.
 */

const amount = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

const pascaItem = z.looseObject({
  buyer_sku_code: z.string().min(1).max(64),
  product_name: z.string().default(''),
  category: z.string().default(''),
  brand: z.string().default(''),
  admin: amount.default(0),
  buyer_product_status: z.boolean().default(false),
  seller_product_status: z.boolean().default(false),
  desc: z.string().default(''),
});

/** One entry of the postpaid price list, or null when it cannot be read as one. */
export function readPascaItem(item: unknown): SupplierPrice | null {
  const p = pascaItem.safeParse(item);
  if (!p.success) return null;
  const i = p.data;
  return {
    sku: i.buyer_sku_code,
    name: i.product_name.slice(0, 200),
    category: i.category.slice(0, 100),
    brand: i.brand.slice(0, 100),
    // The bill decides what is charged: no list cost.
    cost: 0,
    active: i.buyer_product_status && i.seller_product_status,
    cutOffStart: '00:00',
    cutOffEnd: '00:00',
    multi: true,
    description: i.desc.slice(0, 1000),
    postpaid: true,
    admin: Math.round(i.admin),
  };
}

const detail = z.looseObject({
  periode: z.union([z.string(), z.number()]).optional(),
  nilai_tagihan: amount.optional(),
  denda: amount.optional(),
});

const inquiry = z.looseObject({
  ref_id: z.string().optional(),
  status: z.string().optional(),
  rc: z.string().optional(),
  message: z.string().optional(),
  customer_name: z.string().optional(),
  admin: amount.optional(),
  price: amount.optional(),
  desc: z.looseObject({ detail: z.array(detail).optional() }).optional().catch(undefined),
});

/**
 * What an `inq-pasca` answer says about the bill of `refId`. A Sukses with a price is a bill;
 * a Gagal that blames the bill or the number (rc 60 "Tagihan belum tersedia", 54, 57 …) is no
 * bill; a refusal of the request itself (the store's key, IP, deposit), a Pending or an answer
 * that cannot be read says nothing about the customer: the buyer is asked to try again.
 */
export function readBill(body: unknown, refId: string): BillInquiry {
  const parsed = inquiry.safeParse((body as { data?: unknown } | null)?.data);
  if (!parsed.success) return { outcome: 'unknown', message: 'no readable answer' };
  const d = parsed.data;
  if (d.ref_id && d.ref_id !== refId) return { outcome: 'unknown', message: `answer for another ref_id ${d.ref_id.slice(0, 40)}` };
  const message = (d.message ?? '').slice(0, 300);
  if (d.status === 'Gagal') {
    const rc = d.rc ?? null;
    const theStores = refusedBeforeTransaction(rc) || failureOf(rc).admin;
    return theStores ? { outcome: 'unknown', message: `rc ${rc ?? '?'} ${message}` } : { outcome: 'none', rc, message };
  }
  if (d.status !== 'Sukses' || d.price === undefined || d.price <= 0) return { outcome: 'unknown', message: message || `status ${d.status ?? '?'}` };
  const price = Math.round(d.price);
  const admin = Math.round(d.admin ?? 0);
  const details = d.desc?.detail ?? [];
  const fromDetails = details.reduce((sum, x) => sum + Math.round(x.nilai_tagihan ?? 0) + Math.round(x.denda ?? 0), 0);
  return {
    outcome: 'bill',
    customerName: (d.customer_name ?? '').trim().slice(0, 100),
    periods: details.map((x) => String(x.periode ?? '').slice(0, 20)).filter(Boolean),
    bill: fromDetails > 0 ? fromDetails : Math.max(0, price - admin),
    admin,
    price,
  };
}
