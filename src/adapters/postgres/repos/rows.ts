import type { Order, Product, ProductWithStock, StockItem, User } from '../../../app/ports.js';
import type { OrderKind, OrderStatus, PaymentMethod } from '../../../domain/order.js';
import { isPlnEntry, shownTarget, targetKindOf } from '../../../domain/topup.js';

// pg returns int8 as strings, PGlite as numbers: every row goes through these mappers.
type Row = Record<string, unknown>;
const str = (v: unknown): string => String(v);
const num = (v: unknown): number => Number(v);
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

export const toUser = (r: Row): User => ({
  userId: str(r.id),
  waId: str(r.wa_id),
  name: str(r.name),
  role: str(r.role),
  balance: num(r.balance),
  blocked: r.blocked_at !== null && r.blocked_at !== undefined,
  heldReason: r.held_since === null || r.held_since === undefined ? null : str(r.held_reason ?? ''),
  refCode: r.ref_code === null || r.ref_code === undefined ? null : str(r.ref_code),
  referredBy: r.referred_by === null || r.referred_by === undefined ? null : str(r.referred_by),
  lastSeenAt: r.last_seen_at === null || r.last_seen_at === undefined ? null : new Date(r.last_seen_at as string),
});

export const toProduct = (r: Row): Product => ({
  productId: str(r.id),
  code: str(r.code),
  name: str(r.name),
  description: str(r.description),
  price: num(r.price),
  active: Boolean(r.active),
  category: r.category === null || r.category === undefined ? null : str(r.category),
  supplierSku: r.supplier_sku === null || r.supplier_sku === undefined ? null : str(r.supplier_sku),
  checkGame: r.check_game === null || r.check_game === undefined ? null : str(r.check_game),
  form: r.form === 'email' || r.form === 'text' ? r.form : null,
  byHand: r.manual === true || ((r.form === 'email' || r.form === 'text') && Number(r.stock_added ?? 0) === 0),
  manual: r.manual === true,
  warrantyDays: Number(r.warranty_days ?? 0),
});

export const toProductWithStock = (r: Row): ProductWithStock => ({
  ...toProduct(r),
  available: num(r.available ?? 0),
  prices: Object.fromEntries(Object.entries((typeof r.prices === 'string' ? JSON.parse(r.prices) : (r.prices ?? {})) as Record<string, unknown>).map(([k, v]) => [k, num(v)])),
  backup: r.backup_sku === null || r.backup_sku === undefined ? null : { sku: str(r.backup_sku), cost: r.bp_cost === null || r.bp_cost === undefined ? null : num(r.bp_cost), active: r.bp_active === true },
  offer:
    r.supplier_sku === null || r.supplier_sku === undefined || r.sp_cost === null || r.sp_cost === undefined
      ? null
      : {
          cost: num(r.sp_cost),
          active: Boolean(r.sp_active),
          cutOffStart: str(r.sp_cut_off_start),
          cutOffEnd: str(r.sp_cut_off_end),
          multi: r.sp_multi !== false,
          pln: isPlnEntry(str(r.sp_category), str(r.sp_brand)),
          targetKind: targetKindOf(str(r.sp_category), str(r.sp_brand)),
          postpaid: r.sp_postpaid === true,
          brand: str(r.sp_brand ?? ''),
          admin: num(r.sp_admin ?? 0),
        },
});

/** The columns of a product's synced price-list entry (`sp_*`), for toProductWithStock. */
export const OFFER_COLUMNS =
  'sp.cost AS sp_cost, sp.active AS sp_active, sp.cut_off_start AS sp_cut_off_start, sp.cut_off_end AS sp_cut_off_end, sp.multi AS sp_multi, sp.category AS sp_category, sp.brand AS sp_brand, sp.postpaid AS sp_postpaid, sp.admin AS sp_admin, bp.cost AS bp_cost, bp.active AS bp_active';
/** The newest synced entry of the product's SKU, whichever supplier listed it. */
export const OFFER_JOIN = `LEFT JOIN LATERAL (SELECT * FROM supplier_prices x WHERE x.sku = p.supplier_sku ORDER BY x.synced_at DESC LIMIT 1) sp ON p.supplier_sku IS NOT NULL
  LEFT JOIN LATERAL (SELECT y.cost, y.active FROM supplier_prices y WHERE y.sku = p.backup_sku ORDER BY y.synced_at DESC LIMIT 1) bp ON p.backup_sku IS NOT NULL`;

export const toStockItem = (r: Row): StockItem => ({ stockItemId: str(r.id), payload: str(r.payload) });

/** Columns every order query selects, joined with its user and product. */
export const ORDER_COLUMNS = `o.id, o.public_id, o.user_id, u.wa_id, o.kind, o.product_id, p.code AS product_code,
  p.name AS product_name, o.qty, o.unit_price, o.total, o.payment_method, o.status, o.payment_url,
  o.payment_qr, o.expires_at, o.created_at, o.discount, o.voucher_code, o.review_since, o.owed, o.target, o.target_zone_length,
  o.supplier AS sold_supplier, o.supplier_sku AS sold_sku, o.supplier_cost AS sold_cost, o.supplier_postpaid AS sold_postpaid,
  o.backup_supplier, o.backup_sku, o.backup_cost, o.detail, o.by_hand, o.hand_message`;
export const ORDER_JOINS = 'JOIN users u ON u.id = o.user_id LEFT JOIN products p ON p.id = o.product_id';
export const ORDER_FROM = `orders o ${ORDER_JOINS}`;

export const toOrder = (r: Row): Order => ({
  orderId: str(r.id),
  publicId: str(r.public_id),
  userId: str(r.user_id),
  waId: str(r.wa_id),
  kind: str(r.kind) as OrderKind,
  productId: r.product_id === null ? null : str(r.product_id),
  productCode: r.product_code === null || r.product_code === undefined ? null : str(r.product_code),
  productName: r.product_name === null || r.product_name === undefined ? null : str(r.product_name),
  qty: num(r.qty),
  unitPrice: num(r.unit_price),
  total: num(r.total),
  discount: num(r.discount ?? 0),
  voucherCode: r.voucher_code === null || r.voucher_code === undefined ? null : str(r.voucher_code),
  paymentMethod: str(r.payment_method) as PaymentMethod,
  status: str(r.status) as OrderStatus,
  paymentUrl: r.payment_url === null ? null : str(r.payment_url),
  paymentQr: r.payment_qr === null || r.payment_qr === undefined ? null : str(r.payment_qr),
  expiresAt: date(r.expires_at),
  createdAt: date(r.created_at) ?? new Date(0),
  reviewSince: date(r.review_since),
  owed: num(r.owed ?? 0),
  target: r.target === null || r.target === undefined ? null : str(r.target),
  detail: r.detail === null || r.detail === undefined ? null : str(r.detail),
  byHand: r.by_hand === true,
  handMessage: r.hand_message === null || r.hand_message === undefined ? null : str(r.hand_message),
  targetShown: r.target === null || r.target === undefined ? null : shownTarget(str(r.target), r.target_zone_length === null || r.target_zone_length === undefined ? null : num(r.target_zone_length)),
  soldAs:
    r.sold_sku === null || r.sold_sku === undefined || r.sold_cost === null || r.sold_cost === undefined
      ? null
      : {
          supplier: str(r.sold_supplier),
          sku: str(r.sold_sku),
          cost: num(r.sold_cost),
          ...(r.sold_postpaid === true ? { postpaid: true } : {}),
          ...(r.backup_sku ? { backup: { supplier: str(r.backup_supplier), sku: str(r.backup_sku), cost: num(r.backup_cost) } } : {}),
        },
});
