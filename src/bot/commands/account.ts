import { cancelPendingOrder, historyOf, profileOf, resendGoods } from '../../app/buyer.js';
import { createDeposit } from '../../app/deposit.js';
import { joinReferral, referralOf } from '../../app/referral.js';
import { DomainError } from '../../domain/errors.js';
import { MAX_AMOUNT, MIN_DEPOSIT, parseRupiah } from '../../domain/money.js';
import type { Command } from '../context.js';
import { usage } from '../router.js';

export const accountCommands: Command[] = [
  {
    names: ['saldo', 'balance'],
    limit: 'cmd',
    readOnly: true,
    personal: true,
    run: async (ctx, deps) => {
      const { balance, name } = await profileOf(deps, ctx.msg.from);
      await ctx.reply(ctx.texts.balance(balance, name || ctx.msg.name));
    },
  },
  {
    names: ['deposit', 'isisaldo'],
    limit: 'buy',
    movesMoney: true,
    personal: true,
    run: async (ctx, deps) => {
      usage(ctx.command.args.length === 1, 'deposit');
      const amount = parseRupiah(ctx.command.args[0]!);
      if (amount === null) throw new DomainError('INVALID_AMOUNT', { min: MIN_DEPOSIT, max: MAX_AMOUNT });
      await createDeposit(deps, { waId: ctx.msg.from, name: ctx.msg.name, amount, ...(ctx.buyLock ? { lock: ctx.buyLock } : {}) });
    },
  },
  {
    names: ['riwayat', 'history'],
    repeatable: true,
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => ctx.reply(ctx.texts.history(await historyOf(deps, ctx.msg.from))),
  },
  {
    names: ['batal', 'cancel'],
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => {
      // A bill waiting for `.ya` is what `.batal` drops first.
      const asked = await deps.store.autocommit.confirmations.drop(ctx.msg.from);
      if (asked) return ctx.reply(ctx.texts.confirmDropped(asked));
      const { order, paid } = await cancelPendingOrder(deps, ctx.msg.from);
      await ctx.reply(paid ? ctx.texts.cancelTooLate(order) : ctx.texts.cancelled(order));
    },
  },
  {
    names: ['kirimulang', 'resend'],
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => {
      const [orderId] = ctx.command.args;
      usage(orderId !== undefined, 'kirimulang');
      await resendGoods(deps, ctx.msg.from, orderId);
    },
  },
  {
    names: ['referral', 'ajak'],
    repeatable: true,
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => ctx.reply(ctx.texts.referralInfo({ ...(await referralOf(deps, ctx.msg.from, ctx.msg.name)), percent: deps.settings.referralPercent }, ctx.prefix)),
  },
  {
    names: ['ref'],
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => {
      const [code, ...more] = ctx.command.args;
      usage(code !== undefined && more.length === 0, 'ref');
      await ctx.reply(ctx.texts.referralJoined(await joinReferral(deps, ctx.msg.from, ctx.msg.name, code)));
    },
  },
];
