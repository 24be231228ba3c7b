import { cutAt } from '../../domain/text.js';

/** WhatsApp's limit for one text message body. */
export const WHATSAPP_TEXT_LIMIT = 4096;

/**
 * Splits a long reply into messages of at most `limit` UTF-16 code units (the
 * stricter reading of WhatsApp's 4,096 characters), at line boundaries where
 * possible (a delivered item is never cut mid-line unless one line alone is
 * longer than a message), and never inside a character: an emoji stays whole.
 */
export function splitMessage(text: string, limit = WHATSAPP_TEXT_LIMIT): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current) parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const part = cutAt(rest, limit) || rest.slice(0, limit); // one character longer than a message: only then cut inside it
      parts.push(part);
      rest = rest.slice(part.length);
    }
    current = rest;
  }
  flush();
  return parts;
}
