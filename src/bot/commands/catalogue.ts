import { catalogueView, getProduct, LIST_PAGE_SIZE, PAGE_SIZE } from '../../app/catalogue.js';
import type { CatalogueQuery } from '../../app/ports.js';
import { dropWish, wish, WISH_DAYS } from '../../app/wishes.js';
import type { Command } from '../context.js';
import { usage } from '../router.js';

/** `.produk [CATEGORY WORDS] [PAGE]`: a last word of digits is the page. */
export function catalogueQuery(args: readonly string[]): CatalogueQuery {
  const words = [...args];
  const last = words.at(-1);
  const page = last !== undefined && /^\d{1,6}$/.test(last) ? Number(words.pop()) : undefined;
  return { ...(words.length ? { category: words.join(' ') } : {}), ...(page !== undefined ? { page } : {}) };
}

export const catalogueCommands: Command[] = [
  {
    names: ['menu', 'help'],
    limit: 'cmd',
    readOnly: true,
    run: (ctx) => {
      const head = [ctx.store.name && `*${ctx.store.name}*`, ctx.store.welcome].filter(Boolean).join('\n');
      return ctx.reply(`${head ? `${head}\n\n` : ''}${ctx.texts.menu(ctx.prefix, ctx.isAdmin)}`);
    },
  },
  {
    names: ['produk', 'list', 'stok'],
    limit: 'cmd',
    readOnly: true,
    run: async (ctx, deps) => {
      // A tappable list where the transport shows one (fewer products per page: 10 rows at most).
      const view = await catalogueView(deps, ctx.msg.from, catalogueQuery(ctx.command.args), ctx.lists ? LIST_PAGE_SIZE : PAGE_SIZE);
      await ctx.reply(ctx.texts.catalogue(view, ctx.prefix), (ctx.lists && ctx.texts.catalogueList(view, ctx.prefix)) || undefined);
    },
  },
  {
    names: ['info'],
    limit: 'cmd',
    readOnly: true,
    run: async (ctx, deps) => {
      const [code] = ctx.command.args;
      if (code === undefined) return ctx.reply(ctx.texts.storeInfo(ctx.store, ctx.prefix));
      await ctx.reply(ctx.texts.productInfo(await getProduct(deps, code, ctx.msg.from), ctx.prefix));
    },
  },
  {
    names: ['cs', 'kontak', 'contact'],
    limit: 'cmd',
    readOnly: true,
    run: (ctx, deps) => ctx.reply(ctx.texts.contact(ctx.store, deps.settings.adminNumbers)),
  },
  {
    // Back in stock: `.notify CODE` waits for a sold-out product, `.notify` lists, `.notify CODE off` drops.
    names: ['notify', 'kabari'],
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => {
      const [code, off, ...more] = ctx.command.args;
      usage(more.length === 0 && (off === undefined || /^(off|batal|stop)$/i.test(off)), 'notify');
      if (code === undefined) return ctx.reply(ctx.texts.wishList(await deps.store.autocommit.wishes.list(ctx.msg.from), ctx.prefix));
      if (off !== undefined) return ctx.reply(ctx.texts.wishDropped(code.toUpperCase(), await dropWish(deps, ctx.msg.from, code)));
      const wished = await wish(deps, ctx.msg.from, code);
      await ctx.reply(ctx.texts.wishAdded(wished.code, wished.name, WISH_DAYS));
    },
  },
];
