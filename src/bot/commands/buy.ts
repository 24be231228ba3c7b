import { askBill } from '../../app/bills.js';
import { confirmAsked } from '../../app/confirm.js';
import { placeOrder, type BuyMode } from '../../app/place-order.js';
import { readBuyWords } from '../../domain/buy-request.js';
import type { Command } from '../context.js';
import { usage } from '../router.js';

const buy =
  (mode: BuyMode, usageKey: string, topupOnly = false): Command['run'] =>
  async (ctx, deps) => {
    // `.buy CODE [QTY] [VOUCHER]` for a stock product, `.buy CODE TUJUAN [ZONE] [VOUCHER]` for a top-up:
    // the words after the code read once here, as either kind takes them; the product picks under its lock.
    const [code, ...words] = ctx.command.args;
    usage(code !== undefined && words.length <= 3 && (!topupOnly || words.length > 0), usageKey);
    // The goods, the top-up's answer or the payment link arrive through the outbox, written with the order.
    const placed = await placeOrder(deps, { waId: ctx.msg.from, name: ctx.msg.name, code, mode, words: readBuyWords(words, usageKey, topupOnly), ...(ctx.buyLock ? { lock: ctx.buyLock } : {}) });
    // A destination the supplier could name: shown, and paid only after `.ya`.
    if (placed.paidBy === 'confirm') {
      ctx.onlyAsked = true;
      await ctx.reply(ctx.texts.topupConfirm(placed.asked, ctx.prefix));
    }
  };

export const buyCommands: Command[] = [
  { names: ['buy', 'beli'], limit: 'buy', movesMoney: true, personal: true, run: buy('auto', 'buy') },
  { names: ['buynow'], limit: 'buy', movesMoney: true, personal: true, run: buy('gateway', 'buynow') },
  // A top-up (pulsa, game, token) by its own name: never a deposit, never a stock product.
  { names: ['topup'], limit: 'buy', movesMoney: true, personal: true, run: buy('auto', 'topup', true) },
  {
    // A postpaid bill: asked for and shown; nothing is charged until `.ya` (the buy). Counted as a command.
    names: ['tagihan', 'cektagihan', 'bill'],
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => {
      const [code, ...number] = ctx.command.args;
      usage(code !== undefined && number.length >= 1 && number.length <= 3, 'tagihan');
      await ctx.reply(ctx.texts.billShown(await askBill(deps, { waId: ctx.msg.from, name: ctx.msg.name, code, number: number.join('') }), ctx.prefix));
    },
  },
  {
    // Pays what the buyer was shown (a bill, a checked game ID or meter): from the balance when it covers it, else a payment link.
    names: ['ya', 'yes'],
    limit: 'buy',
    movesMoney: true,
    personal: true,
    run: async (ctx, deps) => {
      await confirmAsked(deps, { waId: ctx.msg.from, name: ctx.msg.name, ...(ctx.buyLock ? { lock: ctx.buyLock } : {}) });
    },
  },
];
