import { CACHE } from './cache-aside.js';
import type { AppDeps } from './deps.js';

/** All settings, cached 10 minutes; an admin's change drops the cache at once. */
export const settingsOf = (deps: AppDeps): Promise<Record<string, string>> =>
  deps.cache.get(CACHE.settings.key, CACHE.settings.ttlMs, () => deps.store.direct.settings.all());

const groupOffKey = (chat: string) => `group_off:${chat}`;

export async function isGroupOff(deps: AppDeps, chat: string): Promise<boolean> {
  return groupOffKey(chat) in (await settingsOf(deps));
}

/** `.grup on|off`: the bot answers in a group only while it is on (the default). */
export async function setGroupEnabled(deps: AppDeps, chat: string, on: boolean): Promise<void> {
  await deps.store.transaction((r) => r.settings.set(groupOffKey(chat), on ? null : new Date().toISOString()));
}
