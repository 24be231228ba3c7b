import type { AppDeps } from './deps.js';

const groupOffKey = (chat: string) => `group_off:${chat}`;

/** Whether an admin turned the bot off in this group; read from the stored settings every process keeps in memory. */
export function isGroupOff(deps: AppDeps, chat: string): boolean {
  return groupOffKey(chat) in deps.settings.stored();
}

/** The groups an admin turned the bot off in, with when (the dashboard lists them to turn them on again). */
export async function groupsOff(deps: AppDeps): Promise<{ chat: string; since: Date }[]> {
  return Object.entries(await deps.store.autocommit.settings.all())
    .filter(([key]) => key.startsWith('group_off:'))
    .map(([key, at]) => ({ chat: key.slice('group_off:'.length), since: new Date(at) }));
}

/** `.grup on|off`: the bot answers in a group only while it is on (the default). */
export async function setGroupEnabled(deps: AppDeps, chat: string, on: boolean): Promise<void> {
  await deps.store.transaction((r) => r.settings.set(groupOffKey(chat), on ? null : new Date().toISOString()));
}
