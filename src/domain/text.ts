/** Control characters other than tab and line breaks: no person types them, and PostgreSQL refuses NUL in text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** The text without its control characters (a profile name is whatever the sender set). */
export const withoutControlCharacters = (text: string): string => text.replace(new RegExp(CONTROL.source, 'g'), '');

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The characters a person sees (grapheme clusters): an emoji, a flag or an accented letter is one, never cut in half. */
export const characters = (text: string): string[] => Array.from(segmenter.segment(text), (s) => s.segment);

/** Text a reply echoes back (a code, an order id as typed), clipped to `max` characters so a flood is not repeated. */
export function clip(text: string, max = 40): string {
  // No more code units than `max`: no more characters either, so nothing to count.
  if (text.length <= max) return text;
  const chars = characters(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** `text` cut at a word boundary to at most `max` characters (`…` where it was cut): for a seller's own words. */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = characters(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * At most `maxUnits` UTF-16 code units of `text`, cut between two characters:
 * for limits counted in code units (a column's length, an API field), where
 * `slice` could leave half an emoji behind.
 */
export function cutAt(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let out = '';
  for (const c of characters(text)) {
    if (out.length + c.length > maxUnits) break;
    out += c;
  }
  return out;
}

/** WhatsApp's limit for one text message. */
export const MAX_MESSAGE = 4096;
