import type { AppDeps } from '../../app/deps.js';
import { isGroupOff } from '../../app/group-switch.js';
import type { Middleware } from '../context.js';

/**
 * In a group the bot answers commands only (chat is left alone by `parse`),
 * and not at all where an admin turned it off, except for the admin's `.grup on`.
 */
export const groups =
  (deps: AppDeps): Middleware =>
  async (ctx, next) => {
    if (!ctx.msg.group) return next();
    if (ctx.isAdmin && ctx.commandEntry?.evenWhenGroupOff) return next();
    if (isGroupOff(deps, ctx.msg.chat)) return;
    return next();
  };
