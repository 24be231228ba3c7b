import { dropBillFee } from '../../app/bills.js';
import { addProduct, addStock, setCategory, setCost, adjustBalance, releaseHold, removeStock, setBlocked, setRole, setRolePrice, updateProduct, waIdOf } from '../../app/admin.js';
import { broadcast, salesRecap, storeStats } from '../../app/reports.js';
import { recheckPayments } from '../../app/reconcile.js';
import { INFO_KEYS, updateSettings } from '../../app/live-settings.js';
import { setGroupEnabled } from '../../app/group-switch.js';
import { addVoucher, deleteVoucher, listVouchers } from '../../app/vouchers.js';
import { parseDiscount } from '../../domain/pricing.js';
import { DomainError } from '../../domain/errors.js';
import { MAX_AMOUNT, parseRupiah } from '../../domain/money.js';
import type { Command } from '../context.js';
import { usage } from '../router.js';

const price = (text: string | undefined): number => {
  const value = text === undefined ? null : parseRupiah(text);
  if (value === null) throw new DomainError('INVALID_AMOUNT', { max: MAX_AMOUNT });
  return value;
};


/** `CODE rest of the line` for the edit commands. */
const codeAndText = (rest: string, command: string): [string, string] => {
  const match = /^(\S+)\s+([\s\S]+)$/.exec(rest);
  usage(match !== null, command);
  return [match[1]!, match[2]!.trim()];
};

const adjust =
  (sign: 1 | -1, command: string): Command['run'] =>
  async (ctx, deps) => {
    const [numberText, amountText] = ctx.command.args;
    usage(numberText !== undefined && amountText !== undefined && ctx.command.args.length === 2, command);
    const amount = sign * price(amountText);
    const { waId, balance, newNumber } = await adjustBalance(deps, numberText, amount, `${command} by ${ctx.msg.from}`);
    await ctx.reply(ctx.texts.balanceAdjusted(waId, amount, balance, newNumber));
  };

export const adminCommands: Command[] = [
  {
    names: ['addproduk'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const parts = ctx.command.rest.split('|').map((s) => s.trim());
      usage(parts.length >= 3 && parts.length <= 5 && parts[0] !== '' && parts[1] !== '', 'addproduk');
      const [code, name, priceText, description = '', category = ''] = parts as [string, string, string, string?, string?];
      const product = await addProduct(deps, { code, name, price: price(priceText), description, category });
      await ctx.reply(ctx.texts.productSaved(product.code, 'added', ctx.prefix));
    },
  },
  {
    names: ['setharga'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, priceText, role] = ctx.command.args;
      usage(code !== undefined && ctx.command.args.length >= 2 && ctx.command.args.length <= 3, 'setharga');
      // A bill product's price is the store's fee: 0 = none.
      const value = priceText === '0' && role === undefined ? 0 : price(priceText);
      if (value === 0) await dropBillFee(deps, code);
      else if (role === undefined) await updateProduct(deps, code, { price: value });
      else await setRolePrice(deps, code, role, value);
      await ctx.reply(ctx.texts.priceSaved(code.toUpperCase(), value, role?.toLowerCase() ?? null));
    },
  },
  {
    names: ['setrole'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [numberText, role] = ctx.command.args;
      usage(numberText !== undefined && role !== undefined && ctx.command.args.length === 2, 'setrole');
      const waId = waIdOf(numberText);
      await ctx.reply(ctx.texts.roleSet(waId, await setRole(deps, waId, role)));
    },
  },
  {
    names: ['lepas', 'release'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      usage(ctx.command.args.length === 1, 'lepas');
      const { waId, wasHeld } = await releaseHold(deps, ctx.command.args[0]!);
      await ctx.reply(ctx.texts.released(waId, wasHeld));
    },
  },
  ...(['block', 'unblock'] as const).map(
    (name): Command => ({
      names: [name],
      admin: true,
      limit: 'cmd',
      run: async (ctx, deps) => {
        usage(ctx.command.args.length === 1, name);
        const waId = waIdOf(ctx.command.args[0]!);
        await setBlocked(deps, waId, name === 'block');
        await ctx.reply(ctx.texts.blocked(waId, name === 'block'));
      },
    }),
  ),
  {
    names: ['rekap'],
    repeatable: true,
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      usage(ctx.command.args.length <= 1, 'rekap');
      await ctx.reply(ctx.texts.recap(await salesRecap(deps, ctx.command.args[0])));
    },
  },
  {
    names: ['performa'],
    repeatable: true,
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      if (!deps.ops) throw new Error('no operational figures here');
      await ctx.reply(ctx.texts.performa(await deps.ops.report()));
    },
  },
  {
    names: ['stats'],
    repeatable: true,
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => ctx.reply(ctx.texts.stats(await storeStats(deps))),
  },
  {
    names: ['broadcast'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const text = [ctx.command.rest, ...ctx.command.lines].join('\n').trim();
      usage(text !== '', 'broadcast');
      await ctx.reply(ctx.texts.broadcastQueued(await broadcast(deps, text)));
    },
  },
  {
    names: ['setjudul'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, name] = codeAndText(ctx.command.rest, 'setjudul');
      usage(name.length <= 100, 'setjudul');
      const product = await updateProduct(deps, code, { name });
      await ctx.reply(ctx.texts.productSaved(product.code, 'name'));
    },
  },
  {
    names: ['setmodal', 'setcost'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, costText] = ctx.command.args;
      usage(code !== undefined && costText !== undefined && ctx.command.args.length === 2, 'setmodal');
      const cost = costText === '-' ? null : price(costText);
      await setCost(deps, code, cost);
      await ctx.reply(ctx.texts.costSaved(code.toUpperCase(), cost));
    },
  },
  {
    names: ['setkategori', 'setcategory'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, category] = codeAndText(ctx.command.rest, 'setkategori');
      const product = await setCategory(deps, code, category);
      await ctx.reply(ctx.texts.productSaved(product.code, 'category'));
    },
  },
  {
    names: ['setdesc'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, firstLine] = codeAndText(ctx.command.rest, 'setdesc');
      const description = [firstLine, ...ctx.command.lines].join('\n').trim();
      usage(description.length <= 1000, 'setdesc');
      const product = await updateProduct(deps, code, { description });
      await ctx.reply(ctx.texts.productSaved(product.code, 'description'));
    },
  },
  {
    names: ['delproduk'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      usage(ctx.command.args.length === 1, 'delproduk');
      const product = await updateProduct(deps, ctx.command.args[0]!, { active: false });
      await ctx.reply(ctx.texts.productSaved(product.code, 'deactivated'));
    },
  },
  {
    names: ['addstok'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, ...sameLine] = ctx.command.args;
      usage(code !== undefined, 'addstok');
      // Items may also follow the code on the first line: `.addstok CODE item`.
      const firstItem = ctx.command.rest.slice(code.length).trim();
      const items = [...(sameLine.length ? [firstItem] : []), ...ctx.command.lines];
      usage(items.some((i) => i.trim() !== ''), 'addstok');
      const { added, skipped, available } = await addStock(deps, code, items);
      await ctx.reply(ctx.texts.stockAdded(code.toUpperCase(), added, available, skipped));
    },
  },
  {
    names: ['delstok'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, countText] = ctx.command.args;
      usage(code !== undefined && ctx.command.args.length <= 2 && (countText === undefined || /^\d+$/.test(countText)), 'delstok');
      const removed = await removeStock(deps, code, countText === undefined ? null : Number(countText));
      await ctx.reply(ctx.texts.stockRemoved(code.toUpperCase(), removed));
    },
  },
  {
    names: ['cekbayar'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      usage(ctx.command.args.length <= 1, 'cekbayar');
      await ctx.reply(ctx.texts.recheck(await recheckPayments(deps, ctx.command.args[0])));
    },
  },
  {
    names: ['grup'],
    admin: true,
    limit: 'cmd',
    evenWhenGroupOff: true,
    run: async (ctx, deps) => {
      const [state] = ctx.command.args;
      usage(ctx.msg.group === true && (state === 'on' || state === 'off'), 'grup');
      await setGroupEnabled(deps, ctx.msg.chat, state === 'on');
      await ctx.reply(ctx.texts.groupSwitched(state === 'on'));
    },
  },
  {
    names: ['setinfo'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [word, firstLine] = codeAndText(ctx.command.rest, 'setinfo');
      const key = INFO_KEYS[word.toLowerCase()];
      usage(key !== undefined, 'setinfo');
      const text = [firstLine, ...ctx.command.lines].join('\n').trim();
      const cleared = text === '-';
      await updateSettings(deps, { [key]: cleared ? '' : text }).catch((err: unknown) => {
        // A value the setting refuses (`jualrugi kadang`): the command's own usage, not the setting's name.
        throw err instanceof DomainError && err.code === 'INVALID_INPUT' ? new DomainError('INVALID_INPUT', { command: 'setinfo' }) : err;
      });
      await ctx.reply(ctx.texts.infoSaved(word.toLowerCase(), cleared));
    },
  },
  {
    names: ['addvoucher'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, discountText, maxText, daysText] = ctx.command.args;
      const whole = (t: string | undefined) => (t === undefined ? null : /^\d{1,6}$/.test(t) && Number(t) > 0 ? Number(t) : NaN);
      const [maxUses, daysValid] = [whole(maxText), whole(daysText)];
      const discount = discountText === undefined ? null : parseDiscount(discountText, parseRupiah);
      usage(code !== undefined && discount !== null && ctx.command.args.length <= 4 && !Number.isNaN(maxUses) && !Number.isNaN(daysValid), 'addvoucher');
      await ctx.reply(ctx.texts.voucherAdded(await addVoucher(deps, { code, discount, maxUses, daysValid })));
    },
  },
  {
    names: ['delvoucher'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      usage(ctx.command.args.length === 1, 'delvoucher');
      await ctx.reply(ctx.texts.voucherDeleted(await deleteVoucher(deps, ctx.command.args[0]!)));
    },
  },
  {
    names: ['vouchers', 'voucher'],
    repeatable: true,
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => ctx.reply(ctx.texts.voucherList(await listVouchers(deps))),
  },
  { names: ['addsaldo'], admin: true, limit: 'cmd', movesMoney: true, run: adjust(1, 'addsaldo') },
  { names: ['minsaldo'], admin: true, limit: 'cmd', movesMoney: true, run: adjust(-1, 'minsaldo') },
];
