import { deliverByHand, setHandling } from '../../app/by-hand.js';
import { openClaim, rejectClaim, replaceItem, setWarranty } from '../../app/claims.js';
import type { Command } from '../context.js';
import { usage } from '../router.js';

/** What follows the first word of a command, its later lines included (a claim's reason). */
const after = (rest: string, lines: readonly string[]): string => [rest.replace(/^\S+\s*/, ''), ...lines].join('\n').trim();

/** Warranty claims: the buyer's `.klaim`, the admins' `.ganti` / `.tolak`, and `.setgaransi`. */
export const claimCommands: Command[] = [
  {
    names: ['klaim', 'claim'],
    limit: 'cmd',
    personal: true,
    run: async (ctx, deps) => {
      const [orderId] = ctx.command.args;
      const reason = after(ctx.command.rest, ctx.command.lines);
      usage(orderId !== undefined && reason !== '', 'klaim');
      await openClaim(deps, ctx.msg.from, orderId, reason);
      await ctx.reply(ctx.texts.claimOpened(orderId.toUpperCase()));
    },
  },
  {
    names: ['ganti'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [orderId, ...more] = ctx.command.args;
      usage(orderId !== undefined && more.length === 0, 'ganti');
      const claim = await replaceItem(deps, ctx.msg.from, orderId);
      await ctx.reply(ctx.texts.claimAnswered(claim.publicId, 'replaced'));
    },
  },
  {
    names: ['tolak'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [orderId] = ctx.command.args;
      const reason = after(ctx.command.rest, ctx.command.lines);
      usage(orderId !== undefined && reason !== '', 'tolak');
      const claim = await rejectClaim(deps, ctx.msg.from, orderId, reason);
      await ctx.reply(ctx.texts.claimAnswered(claim.publicId, 'rejected'));
    },
  },
  {
    names: ['setgaransi'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, days] = ctx.command.args;
      usage(code !== undefined && days !== undefined && ctx.command.args.length === 2 && /^\d{1,4}$/.test(days), 'setgaransi');
      await setWarranty(deps, code, Number(days));
      await ctx.reply(ctx.texts.warrantySet(code.toUpperCase(), Number(days)));
    },
  },
  {
    names: ['setform'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, form] = ctx.command.args;
      usage(code !== undefined && form !== undefined && ctx.command.args.length === 2 && /^(email|text|-)$/i.test(form), 'setform');
      const value = form === '-' ? null : (form.toLowerCase() as 'email' | 'text');
      await setHandling(deps, code, { form: value });
      await ctx.reply(ctx.texts.formSet(code.toUpperCase(), value));
    },
  },
  {
    names: ['setmanual'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [code, off] = ctx.command.args;
      usage(code !== undefined && ctx.command.args.length <= 2 && (off === undefined || /^off$/i.test(off)), 'setmanual');
      await setHandling(deps, code, { manual: off === undefined });
      await ctx.reply(ctx.texts.manualSet(code.toUpperCase(), off === undefined));
    },
  },
  {
    names: ['kirim'],
    admin: true,
    limit: 'cmd',
    run: async (ctx, deps) => {
      const [orderId] = ctx.command.args;
      const text = after(ctx.command.rest, ctx.command.lines);
      usage(orderId !== undefined && text !== '', 'kirim');
      await ctx.reply(ctx.texts.handSent((await deliverByHand(deps, orderId, text)).publicId));
    },
  },
];
