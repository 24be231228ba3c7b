export const PREFIXES = ['.', '!', '/'] as const;

export interface ParsedCommand {
  prefix: string;
  /** Lower-cased command word: `.BUY x` → `buy`. */
  name: string;
  /** Words after the command on the first line. */
  args: string[];
  /** The first line after the command word, untouched (for `CODE|Name|…` and free text). */
  rest: string;
  /** Every line after the first (for `.addstok`). */
  lines: string[];
}

/** null when the text is not a command (no prefix, or a prefix alone). */
export function parseCommand(text: string, prefixes: readonly string[] = PREFIXES): ParsedCommand | null {
  const trimmed = text.replace(/^\s+/, '');
  const prefix = trimmed[0];
  if (prefix === undefined || !prefixes.includes(prefix)) return null;
  const [first = '', ...lines] = trimmed.slice(1).split(/\r?\n/);
  // The command word follows the prefix directly and starts with a letter: "...", ". ok" and "/ 5" are chat.
  const match = /^([a-z][a-z0-9_]*)(?:\s+(.*))?$/i.exec(first.trimEnd());
  if (!match) return null;
  const rest = (match[2] ?? '').trim();
  return { prefix, name: match[1]!.toLowerCase(), args: rest ? rest.split(/\s+/) : [], rest, lines };
}

export { normaliseNumber } from '../domain/phone.js';
