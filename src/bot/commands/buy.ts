import { placeOrder, type BuyMode } from '../../app/place-order.js';
import { parseQty } from '../../domain/order.js';
import type { Command } from '../router.js';
import { usage } from '../router.js';

const buy =
  (mode: BuyMode, usageKey: string): Command['run'] =>
  async (ctx, deps) => {
    const [code, qtyText] = ctx.command.args;
    usage(code !== undefined && ctx.command.args.length <= 2, usageKey);
    // The goods or the payment link arrive through the outbox, written with the order.
    await placeOrder(deps, { waId: ctx.msg.from, name: ctx.msg.name, code, qty: parseQty(qtyText), mode });
  };

export const buyCommands: Command[] = [
  { names: ['buy', 'beli'], run: buy('auto', 'buy') },
  { names: ['buynow'], run: buy('gateway', 'buynow') },
];
