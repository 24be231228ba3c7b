import { catalogueFor, getProduct } from '../../app/account.js';
import type { Command } from '../router.js';
import { usage } from '../router.js';

export const catalogueCommands: Command[] = [
  {
    names: ['menu', 'help'],
    run: (ctx) => {
      const head = [ctx.store.name && `*${ctx.store.name}*`, ctx.store.welcome].filter(Boolean).join('\n');
      return ctx.reply(`${head ? `${head}\n\n` : ''}${ctx.texts.menu(ctx.prefix, ctx.isAdmin)}`);
    },
  },
  {
    names: ['produk', 'list', 'stok'],
    run: async (ctx, deps) => ctx.reply(ctx.texts.catalogue(await catalogueFor(deps, ctx.msg.from), ctx.prefix)),
  },
  {
    names: ['info'],
    run: async (ctx, deps) => {
      const [code] = ctx.command.args;
      usage(code !== undefined, 'info');
      await ctx.reply(ctx.texts.productInfo(await getProduct(deps, code, ctx.msg.from), ctx.prefix));
    },
  },
];
