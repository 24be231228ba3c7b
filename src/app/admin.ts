import { closeClaimByRefund } from './claims.js';
import { tellWishers } from './wishes.js';
import { DomainError } from '../domain/errors.js';
import { MAX_AMOUNT } from '../domain/money.js';
import type { AppDeps } from './deps.js';
import type { Product } from './ports.js';
import { giveUpOnSupplier } from './topup.js';
import { resendDelivery } from './order-lifecycle.js';
import { creditRefund } from './order-moves.js';
import { hasControlCharacters } from '../domain/text.js';
import { DEFAULT_ROLE, ROLE_FORMAT } from '../domain/pricing.js';
import { normaliseNumber } from '../domain/phone.js';

/** Every number an admin types (chat, dashboard, CLI) goes through the one normaliser: digits, or INVALID_NUMBER. */
export function waIdOf(input: string): string {
  const waId = normaliseNumber(input);
  if (!waId) throw new DomainError('INVALID_NUMBER');
  return waId;
}

const CODE = /^[A-Z0-9_-]{1,32}$/;

function normaliseCode(code: string, command: string): string {
  const upper = code.trim().toUpperCase();
  if (!CODE.test(upper)) throw new DomainError('INVALID_INPUT', { command });
  return upper;
}

/** A category as typed: trimmed, single spaces, 1–40 characters and not only digits (`.produk 2` is a page); '' or '-' = none. */
export function normaliseCategory(text: string, command: string): string | null {
  const category = text.trim().replace(/\s+/g, ' ');
  if (category === '' || category === '-') return null;
  if (category.length > 40 || /^\d+$/.test(category)) throw new DomainError('INVALID_INPUT', { command });
  return category;
}

export async function addProduct(
  deps: AppDeps,
  p: { code: string; name: string; price: number; description: string; category?: string },
): Promise<Product> {
  const code = normaliseCode(p.code, 'addproduk');
  const name = p.name.trim();
  if (!name || name.length > 100 || p.description.length > 1000) throw new DomainError('INVALID_INPUT', { command: 'addproduk' });
  const category = normaliseCategory(p.category ?? '', 'addproduk');
  return deps.store.transaction((r) => r.products.insert({ code, name, price: p.price, description: p.description.trim(), category }));
}

/** `.setkategori CODE CATEGORY` (`-` clears it). */
/** `.setmodal CODE COST` (`-`: unknown): what a stock product costs the seller, for the profit of the orders placed from now on. */
export async function setCost(deps: AppDeps, code: string, cost: number | null): Promise<void> {
  const upper = code.toUpperCase();
  if (!(await deps.store.transaction((r) => r.products.setCost(upper, cost)))) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
}

export async function setCategory(deps: AppDeps, code: string, text: string): Promise<Product> {
  const category = normaliseCategory(text, 'setkategori');
  const product = await deps.store.transaction((r) => r.products.setCategory(code.toUpperCase(), category));
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: code.toUpperCase() });
  return product;
}

export async function updateProduct(
  deps: AppDeps,
  code: string,
  patch: Partial<Pick<Product, 'name' | 'price' | 'description' | 'active'>>,
): Promise<Product> {
  const upper = code.toUpperCase();
  const updated = await deps.store.transaction((r) => r.products.update(upper, patch));
  if (!updated) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  return updated;
}

/** The dashboard's "bring back": a product taken off sale goes on sale again as it was (stock, prices, SKU). */
export async function reactivateProduct(deps: AppDeps, code: string): Promise<Product> {
  const upper = code.toUpperCase();
  const back = await deps.store.transaction((r) => r.products.reactivate(upper));
  if (!back) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  return back;
}

/**
 * `.addstok`, the dashboard and `kedai stock import`: one deliverable item per line,
 * kept as typed (trimmed), blank lines skipped. The same text is never on sale
 * twice for one product: repeats within the list and items already on sale are
 * skipped and counted (the database's unique index is the guarantee). All or
 * nothing: one transaction, in chunks so a long import can report progress.
 */
export async function addStock(
  deps: AppDeps,
  code: string,
  lines: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ added: number; skipped: number; available: number }> {
  const items = lines.map((l) => l.trim()).filter(Boolean);
  if (items.length === 0 || items.some((i) => i.length > 4000)) throw new DomainError('INVALID_INPUT', { command: 'addstok' });
  if (items.some(hasControlCharacters)) throw new DomainError('BAD_CHARACTERS');
  return deps.store.transaction(async (r) => {
    const product = await r.products.findByCode(code.toUpperCase());
    if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: code.toUpperCase() });
    const unique = [...new Set(items)];
    let added = 0;
    for (let i = 0; i < unique.length; i += 2_000) {
      added += await r.stock.add(product.productId, unique.slice(i, i + 2_000));
      onProgress?.(i + Math.min(2_000, unique.length - i), unique.length);
    }
    // Back on sale: the buyers who asked (`.notify`) hear it once, with the stock.
    if (added > 0) await tellWishers(deps, r, product);
    return { added, skipped: items.length - added, available: product.available + added };
  });
}

export async function removeStock(deps: AppDeps, code: string, count: number | null): Promise<number> {
  const product = await deps.store.autocommit.products.findByCode(code.toUpperCase());
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: code.toUpperCase() });
  return deps.store.transaction((r) => r.stock.removeAvailable(product.productId, count));
}

/**
 * Dashboard "refund to balance": a paid or delivered order's total goes back to the
 * buyer's balance (a ledger entry, once per order) and the order becomes refunded.
 * Delivered goods stay delivered: the seller decides to refund knowing that.
 */
export async function refundToBalance(deps: AppDeps, publicId: string): Promise<number> {
  return deps.store.transaction(async (r) => {
    const order = await r.orders.lockByPublicId(publicId);
    if (!order) throw new DomainError('UNKNOWN_ORDER', { orderId: publicId });
    if (order.status !== 'paid' && order.status !== 'delivered') throw new DomainError('ILLEGAL_TRANSITION', { from: order.status, to: 'refunded' });
    // A top-up still with the supplier may yet be delivered: refunded by hand only after the admins were told it is stuck.
    if (order.target !== null && order.status === 'paid') await giveUpOnSupplier(r, order);
    // A warranty claim open on it is answered by the refund.
    await closeClaimByRefund(r, order.orderId, 'dashboard');
    return creditRefund(r, order, { note: 'refund to balance (admin)', notice: (balance) => deps.texts.balanceAdjustedNotice(order.total, balance) });
  });
}

/** Dashboard "resend goods": any delivered order's items again, to its buyer. */
export const resendOrder = (deps: AppDeps, publicId: string): Promise<void> => resendDelivery(deps, publicId);

function normaliseRole(role: string, command: string): string {
  const lower = role.trim().toLowerCase();
  if (!ROLE_FORMAT.test(lower)) throw new DomainError('INVALID_INPUT', { command });
  return lower;
}

/** `.setharga CODE PRICE ROLE`: the price buyers of that role pay (the default role's price is the base price). */
export async function setRolePrice(deps: AppDeps, code: string, role: string, price: number): Promise<void> {
  const r = normaliseRole(role, 'setharga');
  if (r === DEFAULT_ROLE) {
    await updateProduct(deps, code, { price });
    return;
  }
  const done = await deps.store.transaction((repos) => repos.products.setRolePrice(code.toUpperCase(), r, price));
  if (!done) throw new DomainError('UNKNOWN_PRODUCT', { code: code.toUpperCase() });
}

export async function setRole(deps: AppDeps, number: string, role: string): Promise<string> {
  const waId = waIdOf(number);
  const r = normaliseRole(role, 'setrole');
  await deps.store.transaction((repos) => repos.users.setRole(waId, r));
  return r;
}

/** `.lepas`: the admin decided about a reversed payment; the buyer may buy again. False when nothing was held. */
export async function releaseHold(deps: AppDeps, number: string): Promise<{ waId: string; wasHeld: boolean }> {
  const waId = waIdOf(number);
  const wasHeld = await deps.store.transaction((repos) => repos.users.release(waId));
  return { waId, wasHeld };
}

export async function setBlocked(deps: AppDeps, number: string, blocked: boolean): Promise<void> {
  const waId = waIdOf(number);
  await deps.store.transaction((repos) => repos.users.setBlocked(waId, blocked));
}

/**
 * `.addsaldo` / `.minsaldo`: a ledger entry; the database refuses to go below zero.
 * A number that never wrote to the store is still credited (the seller may be
 * paid in advance), and `newNumber` says so, so a typo does not pass unnoticed.
 */
export async function adjustBalance(
  deps: AppDeps,
  number: string,
  amount: number,
  note: string,
): Promise<{ waId: string; balance: number; newNumber: boolean }> {
  const waId = waIdOf(number);
  if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_AMOUNT) throw new DomainError('INVALID_AMOUNT', { max: MAX_AMOUNT });
  return deps.store.transaction(async (r) => {
    const user = await r.users.lock((await r.users.upsert(waId, '')).userId);
    if (user.balance + amount < 0) throw new DomainError('INSUFFICIENT_BALANCE', { balance: user.balance });
    const balance = await r.ledger.append({ userId: user.userId, amount, kind: 'adjustment', note });
    await r.outbox.enqueue({ to: waId, text: deps.texts.balanceAdjustedNotice(amount, balance), kind: 'notice' });
    return { waId, balance, newNumber: user.lastSeenAt === null };
  });
}
