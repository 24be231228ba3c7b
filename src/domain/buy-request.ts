import { DomainError } from './errors.js';
import { parseQty } from './order.js';
import { readTopupArgs } from './topup.js';

/*
 * What a buyer asks for with `.buy CODE …`: the words after the code, read once, when the
 * command arrives. Their meaning depends on the product (a quantity for a stock product, a
 * destination for a top-up), which is known only under the order's lock; so both readings are
 * made here, once, and the product picks one (`requestFor`).
 */

/** A stock purchase: how many, and a voucher. */
export interface StockRequest {
  kind: 'stock';
  qty: number;
  voucher?: string;
  /** The buyer's detail for a product with a form (`.setform`): an e-mail, a username. */
  detail?: string;
}

/** A top-up: the destination (a game's ID and zone joined, as the supplier expects) and a voucher. */
export interface TopupRequest {
  kind: 'topup';
  target: string;
  /** How many of the target's last digits are a game's zone (`12345678(1234)`: 4). */
  zoneLength?: number;
  voucher?: string;
}

export type PurchaseRequest = StockRequest | TopupRequest;

/** The words after the code, as each kind of product reads them; a reading that does not fit keeps its refusal. */
export interface BuyWords {
  /** The command whose usage a wrong reading gets (`buy`, `buynow`, `topup`). */
  command: string;
  /** The product must be a top-up (`.topup`). */
  topupOnly: boolean;
  stock: StockRequest | DomainError;
  topup: TopupRequest | null;
  /** The words as typed: a product with a form reads its detail from them. */
  raw?: readonly string[];
}

const VOUCHER_CODE = /^[A-Z0-9_-]{3,20}$/;

/** A voucher code as typed: upper case; a word of digits is never one (it is a quantity). */
export const looksLikeVoucher = (word: string): boolean => VOUCHER_CODE.test(word.toUpperCase()) && !/^\d+$/.test(word);

/** `[QTY] [VOUCHER]`: a word that is not a number is the voucher. */
function asStock(words: readonly string[], command: string): StockRequest {
  const [second, third, ...more] = words;
  const qtyFirst = second === undefined || /^[+-]?\d+([.,]\d+)?$/.test(second);
  if (more.length || (!qtyFirst && third !== undefined)) throw new DomainError('INVALID_INPUT', { command });
  const voucher = qtyFirst ? third : second;
  if (voucher !== undefined && !looksLikeVoucher(voucher)) throw new DomainError('UNKNOWN_VOUCHER', { code: voucher.toUpperCase() });
  return { kind: 'stock', qty: parseQty(qtyFirst ? second : undefined), ...(voucher ? { voucher } : {}) };
}

export function readBuyWords(words: readonly string[], command: string, topupOnly = false): BuyWords {
  let stock: StockRequest | DomainError;
  try {
    stock = asStock(words, command);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    stock = err;
  }
  const topup = readTopupArgs(words);
  return { command, topupOnly, stock, topup: topup ? { kind: 'topup', ...topup } : null, raw: words };
}

/** The stock reading when it is a plain `[QTY]` (no voucher): what the one-statement purchase takes. */
export const plainQty = (words: BuyWords): number | null => (!words.topupOnly && !(words.stock instanceof DomainError) && words.stock.voucher === undefined ? words.stock.qty : null);

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,120}\.[^\s@.]{2,24}$/;

/** The detail a product with a form asks for: one e-mail address, or a short text; a refusal that says what to write. */
export function readDetail(form: 'email' | 'text', code: string, raw: readonly string[]): StockRequest {
  if (raw.length === 0) throw new DomainError('DETAIL_REQUIRED', { code, form });
  const detail = raw.join(' ').trim();
  if (form === 'email' ? raw.length !== 1 || !EMAIL.test(detail) || detail.length > 200 : detail.length > 200) throw new DomainError('BAD_DETAIL', { code, form });
  return { kind: 'stock', qty: 1, detail };
}

/** What the buyer asked of `product`, or its refusal (the usage, a wrong destination). */
export function requestFor(words: BuyWords, product: { code: string; description: string; supplierSku: string | null; form?: 'email' | 'text' | null }): PurchaseRequest {
  if (product.form && !product.supplierSku) return readDetail(product.form, product.code, words.raw ?? []);
  if (product.supplierSku) {
    if (!words.topup) throw new DomainError('TOPUP_TARGET', { code: product.code, command: words.command, hint: product.description });
    return words.topup;
  }
  if (words.topupOnly) throw new DomainError('INVALID_INPUT', { command: 'topup' });
  if (words.stock instanceof DomainError) throw words.stock;
  return words.stock;
}
