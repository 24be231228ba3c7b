import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { confirmBill } from './bills.js';
import { placeOrder, type PlaceOrderResult } from './place-order.js';
import type { HeldLock } from './ports.js';

/**
 * `.ya`: what the buyer was asked to confirm, paid. A bill is placed under its inquiry's ref_id
 * (bills.ts); a top-up whose destination was checked is bought as the buyer wrote it, the
 * question taken in the order's own transaction (placeOrder), so two `.ya` buy once.
 */
export async function confirmAsked(deps: AppDeps, input: { waId: string; name: string; lock?: HeldLock }): Promise<PlaceOrderResult> {
  const asked = await deps.store.autocommit.confirmations.peek(input.waId);
  if (!asked?.topup) {
    if (asked?.kind === 'bill') return confirmBill(deps, input);
    throw new DomainError('NOTHING_TO_CONFIRM');
  }
  const { mode, voucher } = asked.topup;
  return placeOrder(deps, {
    waId: input.waId,
    name: input.name,
    code: asked.productCode,
    mode,
    words: {
      command: 'buy',
      topupOnly: true,
      stock: new DomainError('INVALID_INPUT', { command: 'buy' }),
      topup: { kind: 'topup', target: asked.target, ...(asked.targetZoneLength ? { zoneLength: asked.targetZoneLength } : {}), ...(voucher ? { voucher } : {}) },
    },
    confirmed: true,
    ...(input.lock ? { lock: input.lock } : {}),
  });
}
