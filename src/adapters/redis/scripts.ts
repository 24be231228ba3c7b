import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { LockAttempt } from '../../app/ports.js';

/*
 * kedai's Redis scripts: one `.lua` file each in scripts/, named `<name>-<number of keys>.lua`
 * (as BullMQ names its commands), its header saying its keys, arguments and answers; shared
 * lines in scripts/includes/, pulled in by `--- @include "<name>"`. Read once per process,
 * defined on each client with `defineCommand` (EVALSHA, loaded again by ioredis after a
 * restart of Redis). The answers are turned into kedai's types here, and only here.
 */

// From src/ and from dist/ alike: both sit three folders below the project (as migrations/ does).
const DIR = fileURLToPath(new URL('../../../src/adapters/redis/scripts/', import.meta.url));

interface Script {
  name: string;
  keys: number;
  lua: string;
}

let loaded: Script[] | null = null;

/** Every script of scripts/, its includes in place. */
export function redisScripts(dir = DIR): Script[] {
  if (dir === DIR && loaded) return loaded;
  const include = (lua: string): string =>
    lua.replace(/^--- @include "([\w-]+)"$/gm, (_line, name: string) => include(readFileSync(join(dir, 'includes', `${name}.lua`), 'utf8')));
  const scripts = readdirSync(dir)
    .filter((f) => f.endsWith('.lua'))
    .map((f) => {
      const m = /^(\w+)-(\d+)\.lua$/.exec(f);
      if (!m) throw new Error(`redis script ${f}: its name must be <name>-<number of keys>.lua`);
      return { name: m[1]!, keys: Number(m[2]), lua: include(readFileSync(join(dir, f), 'utf8')) };
    });
  if (dir === DIR) loaded = scripts;
  return scripts;
}

type Raw = (...args: (string | number)[]) => Promise<unknown>;

/** The scripts as typed calls on `redis`. */
export interface Scripts {
  rateHit(counter: string, windowMs: number): Promise<{ count: number; ttl: number }>;
  /** One hit back; its window keeps its end. */
  rateGiveBack(counter: string): Promise<void>;
  /** `lock` is null when the hit was over the limit (no lock tried). */
  rateHitLock(counter: string, lock: string, windowMs: number, limit: number, owner: string, ttlMs: number): Promise<{ count: number; ttl: number; lock: LockAttempt | null }>;
  lockAcquire(lock: string, owner: string, ttlMs: number): Promise<LockAttempt>;
  lockHandOver(lock: string, owner: string, next: string, ttlMs: number): Promise<boolean>;
  lockRelease(lock: string, owner: string): Promise<boolean>;
}

export function scriptsOn(redis: Redis): Scripts {
  const commands = redis as unknown as Record<string, Raw>;
  for (const s of redisScripts()) {
    if (!(`kedai_${s.name}` in redis)) redis.defineCommand(`kedai_${s.name}`, { numberOfKeys: s.keys, lua: s.lua });
  }
  const run = (name: string, ...args: (string | number)[]) => commands[`kedai_${name}`]!.call(redis, ...args);
  const attempt = (taken: number, holder: string): LockAttempt => (taken === 1 ? { acquired: true } : { acquired: false, holder: holder || null });
  return {
    async rateHit(counter, windowMs) {
      const [count, ttl] = (await run('rateHit', counter, windowMs)) as [number, number];
      return { count, ttl };
    },
    rateGiveBack: async (counter) => void (await run('rateGiveBack', counter)),
    async rateHitLock(counter, lock, windowMs, limit, owner, ttlMs) {
      const [count, ttl, taken, holder] = (await run('rateHitLock', counter, lock, windowMs, limit, owner, ttlMs)) as [number, number, number, string];
      return { count, ttl, lock: taken === -1 ? null : attempt(taken, holder) };
    },
    async lockAcquire(lock, owner, ttlMs) {
      const [taken, holder] = (await run('lockAcquire', lock, owner, ttlMs)) as [number, string];
      return attempt(taken, holder);
    },
    lockHandOver: async (lock, owner, next, ttlMs) => (await run('lockHandOver', lock, owner, next, ttlMs)) === 1,
    lockRelease: async (lock, owner) => (await run('lockRelease', lock, owner)) === 1,
  };
}
