import { placeOrder, type BuyMode } from '../../app/place-order.js';
import { looksLikeVoucher } from '../../app/vouchers.js';
import { DomainError } from '../../domain/errors.js';
import { parseQty } from '../../domain/order.js';
import type { Command } from '../router.js';
import { usage } from '../router.js';

const buy =
  (mode: BuyMode, usageKey: string): Command['run'] =>
  async (ctx, deps) => {
    // `.buy CODE [QTY] [VOUCHER]`: a second word that is not a number is the voucher.
    const [code, second, third] = ctx.command.args;
    usage(code !== undefined && ctx.command.args.length <= 3, usageKey);
    const qtyFirst = second === undefined || /^[+-]?\d+([.,]\d+)?$/.test(second);
    const qtyText = qtyFirst ? second : undefined;
    const voucher = qtyFirst ? third : second;
    usage(qtyFirst || third === undefined, usageKey);
    if (voucher !== undefined && !looksLikeVoucher(voucher)) throw new DomainError('UNKNOWN_VOUCHER', { code: voucher.toUpperCase() });
    // The goods or the payment link arrive through the outbox, written with the order.
    await placeOrder(deps, { waId: ctx.msg.from, name: ctx.msg.name, code, qty: parseQty(qtyText), mode, ...(voucher ? { voucher } : {}) });
  };

export const buyCommands: Command[] = [
  { names: ['buy', 'beli'], limit: 'buy', movesMoney: true, personal: true, run: buy('auto', 'buy') },
  { names: ['buynow'], limit: 'buy', movesMoney: true, personal: true, run: buy('gateway', 'buynow') },
];
