import { setCheckGame, setSku, supplierStatus } from '../../app/supplier-account.js';
import type { Command } from '../context.js';
import { usage } from '../router.js';

/** The seller's top-up commands: which supplier SKU fulfils a product, and the supplier's state. */
export const topupCommands: Command[] = [
  {
    names: ['setsku'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, sku, backup] = ctx.command.args;
      const skuShape = /^([a-z]{2,10}:)?[A-Za-z0-9_.-]{1,64}$/;
      usage(code !== undefined && sku !== undefined && ctx.command.args.length <= 3 && (sku === '-' ? backup === undefined : skuShape.test(sku) && (backup === undefined || skuShape.test(backup))), 'setsku');
      await ctx.reply(ctx.texts.skuSet(await setSku(deps, code, sku, backup)));
    },
  },
  {
    names: ['setcek'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, game] = ctx.command.args;
      usage(code !== undefined && game !== undefined && ctx.command.args.length === 2 && /^(-|[A-Za-z0-9-]{2,40})$/.test(game), 'setcek');
      const set = await setCheckGame(deps, code, game);
      await ctx.reply(ctx.texts.checkGameSet(set.code, set.game));
    },
  },
  {
    names: ['supplier', 'pemasok'],
    repeatable: true,
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const status = await supplierStatus(deps);
      if (!status.length) return ctx.reply(ctx.texts.error('TOPUP_UNAVAILABLE', { code: 'Top-up', why: 'no_supplier' }, ctx.prefix));
      await ctx.reply(status.map((s) => ctx.texts.supplierStatus(s)).join('\n\n'));
    },
  },
];
