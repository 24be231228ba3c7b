import type { AppDeps } from './deps.js';

const groupOffKey = (chat: string) => `group_off:${chat}`;

/** Whether an admin turned the bot off in this group; read from the stored settings every process keeps in memory. */
export function isGroupOff(deps: AppDeps, chat: string): boolean {
  return groupOffKey(chat) in deps.settings.stored();
}

/** `.grup on|off`: the bot answers in a group only while it is on (the default). */
export async function setGroupEnabled(deps: AppDeps, chat: string, on: boolean): Promise<void> {
  await deps.store.transaction((r) => r.settings.set(groupOffKey(chat), on ? null : new Date().toISOString()));
}
