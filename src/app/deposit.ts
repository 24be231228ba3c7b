import { DomainError } from '../domain/errors.js';
import { MAX_AMOUNT, MIN_DEPOSIT } from '../domain/money.js';
import { newOrderId } from '../domain/order.js';
import type { AppDeps } from './deps.js';
import { underBuyLock } from './buy-lock.js';
import { sendPaymentLink } from './payment-link.js';
import { expiryFrom, lockBuyer } from './place-order.js';
import type { HeldLock, Order } from './ports.js';

/** `.deposit AMOUNT`: a pending deposit order paid by link; settlement credits the ledger. */
export async function createDeposit(deps: AppDeps, input: { waId: string; name: string; amount: number; lock?: HeldLock }): Promise<Order> {
  if (!Number.isSafeInteger(input.amount) || input.amount < MIN_DEPOSIT || input.amount > MAX_AMOUNT) throw new DomainError('INVALID_AMOUNT', { min: MIN_DEPOSIT, max: MAX_AMOUNT });
  return underBuyLock(
    deps,
    input.waId,
    async (lock) => {
      const order = await deps.store.transaction(async (r) => {
        const user = await lockBuyer(r, input.waId, input.name);
        return r.orders.insert({
          publicId: newOrderId(deps.clock.now(), deps.randomHex()),
          userId: user.userId,
          kind: 'deposit',
          productId: null,
          qty: 1,
          unitPrice: input.amount,
          paymentMethod: 'gateway',
          expiresAt: expiryFrom(deps),
        });
      });
      await lock.holdFor(order);
      const linked = await sendPaymentLink(deps, order, input.name);
      lock.keep();
      return linked;
    },
    input.lock,
  );
}
