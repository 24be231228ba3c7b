import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../src/bot/commands/index.js';
import { commandTable } from '../src/bot/router.js';
import { textsFor } from '../src/i18n/index.js';

const commands = allCommands;

/** The command table is the one description of a command; these hold for every entry, present and future. */
describe('the command table', () => {
  it('gives every name once', () => {
    expect(() => commandTable(commands)).not.toThrow();
    expect(() => commandTable([...commands, commands[0]!])).toThrow(/registered twice/);
  });

  it('counts every buyer command that moves money against the buy limit', () => {
    const escaping = commands.filter((c) => !c.admin && c.movesMoney && c.limit !== 'buy').map((c) => c.names[0]);
    expect(escaping).toEqual([]);
    expect(commands.filter((c) => c.limit === 'buy').flatMap((c) => c.names).sort()).toEqual(['beli', 'buy', 'buynow', 'deposit', 'isisaldo', 'topup', 'ya', 'yes']);
  });

  it('lets only reads run before the checks decide, and only the switch past a group turned off', () => {
    expect(commands.filter((c) => c.readOnly && (c.movesMoney || c.admin)).map((c) => c.names[0])).toEqual([]);
    expect(commands.filter((c) => c.evenWhenGroupOff).map((c) => c.names[0])).toEqual(['grup']);
  });

  it('has a usage text in both languages for every usage a command can report', () => {
    const dir = new URL('../src/bot/commands/', import.meta.url);
    const keys = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/usage\([^;]*?,\s*'([a-z]+)'\)/g)) keys.add(m[1]!);
      for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/\badjust\(-?1, '([a-z]+)'\)|\bbuy\('\w+', '([a-z]+)'\)/g)) keys.add((m[1] ?? m[2])!);
    }
    expect(keys.size).toBeGreaterThan(15);
    // The usage text of a command is keyed by its first name in the table: nothing else to keep in step.
    expect([...keys].filter((k) => !commands.some((c) => c.names[0] === k))).toEqual([]);
    for (const locale of ['id', 'en'] as const) {
      const texts = textsFor(locale);
      // Without its own usage the reply would fall back to `.menu`.
      const missing = [...keys].filter((k) => texts.error('INVALID_INPUT', { command: k }, '.').endsWith('.menu'));
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });
});
