import { DomainError } from '../domain/errors.js';
import { CONFIRM_MINUTES, gameSlug, shownTarget } from '../domain/topup.js';
import type { AppDeps } from './deps.js';
import type { Confirmation, ProductWithStock } from './ports.js';

/**
 * A top-up whose destination the supplier can name (a PLN meter's owner, a game ID's player) is
 * not placed yet: the check is made outside the transaction and the buyer confirms with `.ya`.
 */
export class TargetToCheck {
  constructor(
    readonly what: 'meter' | 'game',
    readonly game: string,
    readonly product: ProductWithStock,
    readonly target: string,
    readonly zoneLength: number | null,
    readonly total: number,
    readonly voucher: string | null,
  ) {}
}

/** What the supplier of this top-up can check of its destination before any money moves. */
export function destinationCheck(deps: AppDeps, product: ProductWithStock): { what: 'meter' | 'game'; game: string } | null {
  const supplier = product.supplierSku ? deps.suppliers.forSku(product.supplierSku) : null;
  if (product.offer?.pln && supplier?.checkMeter) return { what: 'meter', game: '' };
  if (product.offer?.targetKind === 'game' && supplier?.checkGameId) return { what: 'game', game: product.checkGame ?? gameSlug(product.offer.brand ?? '') };
  return null;
}

/**
 * Asks the supplier whose the destination is: unknown to it, the buy is refused with nothing
 * charged; known (or not answerable now, said so), the buyer is asked to confirm with `.ya`.
 */
export async function askToConfirm(deps: AppDeps, input: { waId: string; mode: 'auto' | 'gateway' }, c: TargetToCheck): Promise<Confirmation> {
  const supplier = deps.suppliers.forSku(c.product.supplierSku!)!;
  const shown = shownTarget(c.target, c.zoneLength);
  let owner: string | null = null;
  let segment = '';
  if (c.what === 'meter') {
    const check = await supplier.checkMeter!(c.target);
    if (check?.found === false) throw new DomainError('TOPUP_METER', { code: c.product.code, target: c.target, message: check.message });
    if (check?.found) [owner, segment] = [check.name, check.segment];
  } else {
    const zl = c.zoneLength ?? 0;
    const check = await supplier.checkGameId!(c.game, zl ? c.target.slice(0, -zl) : c.target, zl ? c.target.slice(-zl) : '');
    if (check?.found === false) throw new DomainError('TOPUP_GAME_ID', { code: c.product.code, target: shown, game: c.product.offer?.brand || c.game, message: check.message });
    if (check?.found) owner = check.name;
  }
  const asked: Confirmation = {
    waId: input.waId,
    kind: 'topup',
    productCode: c.product.code,
    target: c.target,
    targetZoneLength: c.zoneLength,
    refId: null,
    supplier: supplier.name,
    sku: c.product.supplierSku!,
    cost: Math.max(1, c.product.offer?.cost ?? 1),
    total: c.total,
    topup: { what: c.what, owner, segment, mode: input.mode, voucher: c.voucher, productName: c.product.name },
    expiresAt: new Date(deps.clock.now().getTime() + CONFIRM_MINUTES * 60_000),
  };
  await deps.store.autocommit.confirmations.put(asked);
  return asked;
}
