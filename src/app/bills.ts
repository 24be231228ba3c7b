import { DomainError } from '../domain/errors.js';
import { MAX_AMOUNT } from '../domain/money.js';
import { newOrderId } from '../domain/order.js';
import { CONFIRM_MINUTES } from '../domain/topup.js';
import { priceFor } from '../domain/pricing.js';
import type { AppDeps } from './deps.js';
import { underBuyLock } from './buy-lock.js';
import { sendPaymentLink } from './payment-link.js';
import { expiryFrom, lockBuyer, type PlaceOrderResult } from './place-order.js';
import type { Confirmation, HeldLock } from './ports.js';
import { handOver, topupRefusal } from './topup.js';

/*
 * Postpaid bills (docs/flow.md, "Bills"): `.tagihan CODE NOMOR` asks the supplier what the
 * customer owes (inq-pasca, under a new ref_id) and shows it; nothing is charged. `.ya`
 * within 10 minutes places the order for exactly the total shown, under the inquiry's
 * ref_id, paid from the balance or by a payment link; once paid, the supplier is asked to
 * pay that inquiry (pay-pasca) by the same worker, with the same rules, as any top-up.
 */


/** A customer number as buyers write it (spaces and dashes dropped): digits only, 4–30. */
const customerNumber = (written: string): string | null => {
  const digits = written.replace(/[\s.-]/g, '');
  return /^\d{4,30}$/.test(digits) ? digits : null;
};

/** `.setharga CODE 0` on a bill product: no store fee (the buyer pays the bill as the supplier charges it). Other products need a price. */
export async function dropBillFee(deps: AppDeps, code: string): Promise<void> {
  const upper = code.toUpperCase();
  const product = await deps.store.autocommit.products.findForSale(upper);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: upper });
  if (!product.offer?.postpaid) throw new DomainError('INVALID_AMOUNT', { max: MAX_AMOUNT });
  await deps.store.transaction((r) => r.products.update(upper, { price: 0 }));
}

/** Asks the supplier for a customer's bill and keeps it for the buyer's `.ya`; the bill as shown. */
export async function askBill(deps: AppDeps, input: { waId: string; name: string; code: string; number: string }): Promise<Confirmation> {
  const code = input.code.toUpperCase();
  const product = await deps.store.autocommit.products.findForSale(code);
  if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code });
  if (!product.supplierSku || !product.offer?.postpaid) throw new DomainError('NOT_A_BILL', { code });
  const why = topupRefusal(deps, product, Math.max(1, product.price));
  if (why) throw new DomainError('TOPUP_UNAVAILABLE', { code, why });
  const supplier = deps.suppliers.forSku(product.supplierSku);
  if (!supplier?.inquireBill) throw new DomainError('TOPUP_UNAVAILABLE', { code, why: 'no_supplier' });
  const target = customerNumber(input.number);
  if (!target) throw new DomainError('TOPUP_TARGET', { code, command: 'tagihan', kind: 'bill', target: input.number });
  const refId = newOrderId(deps.clock.now(), deps.randomHex());
  const answer = await supplier.inquireBill({ refId, sku: product.supplierSku, customerNo: target });
  deps.log.info({ orderId: refId, code, outcome: answer.outcome }, 'bill inquiry');
  if (answer.outcome === 'none') throw new DomainError('BILL_NONE', { code, target, message: answer.message });
  if (answer.outcome === 'unknown') throw new DomainError('BILL_UNKNOWN', { code });
  const user = await deps.store.autocommit.users.find(input.waId);
  const fee = user ? priceFor(product, user.role) : product.price;
  const asked: Confirmation = {
    waId: input.waId,
    kind: 'bill',
    productCode: product.code,
    target,
    targetZoneLength: null,
    refId,
    supplier: supplier.name,
    sku: product.supplierSku,
    cost: answer.price,
    total: answer.price + fee,
    bill: { customerName: answer.customerName, periods: answer.periods, bill: answer.bill, admin: answer.admin, fee },
    expiresAt: new Date(deps.clock.now().getTime() + CONFIRM_MINUTES * 60_000),
  };
  await deps.store.autocommit.confirmations.put(asked);
  return asked;
}

/**
 * `.ya`: the buyer's bill placed as an order for exactly the total shown, under the inquiry's
 * ref_id, in one transaction that also takes the question (two `.ya` place one order).
 */
export async function confirmBill(deps: AppDeps, input: { waId: string; name: string; lock?: HeldLock }): Promise<PlaceOrderResult> {
  return underBuyLock(
    deps,
    input.waId,
    async (lock) => {
      const placed = await deps.store.transaction(async (r) => {
        const user = await lockBuyer(r, input.waId, input.name);
        const asked = await r.confirmations.take(input.waId);
        if (!asked || asked.kind !== 'bill' || !asked.refId) throw new DomainError('NOTHING_TO_CONFIRM');
        const product = await r.products.findForSale(asked.productCode);
        if (!product) throw new DomainError('UNKNOWN_PRODUCT', { code: asked.productCode });
        const byBalance = user.balance >= asked.total;
        const order = await r.orders.insert({
          publicId: asked.refId,
          userId: user.userId,
          kind: 'purchase',
          productId: product.productId,
          qty: 1,
          unitPrice: asked.total,
          paymentMethod: byBalance ? 'balance' : 'gateway',
          expiresAt: byBalance ? null : expiryFrom(deps),
          status: byBalance ? 'paid' : 'pending',
          target: asked.target,
          targetZoneLength: null,
          soldAs: { supplier: asked.supplier, sku: asked.sku, cost: asked.cost, postpaid: true },
        });
        if (!byBalance) return { paidBy: 'gateway' as const, order };
        await r.ledger.append({ userId: user.userId, amount: -asked.total, kind: 'purchase', orderId: order.orderId });
        await handOver(deps, r, order);
        return { paidBy: 'balance' as const, order };
      });
      if (placed.paidBy === 'balance') {
        deps.wakeSupplier();
        return placed;
      }
      await lock.holdFor(placed.order);
      const order = await sendPaymentLink(deps, placed.order, input.name);
      lock.keep();
      return { paidBy: 'gateway' as const, order };
    },
    input.lock,
  );
}
