/** WhatsApp's limit for one text message body. */
export const WHATSAPP_TEXT_LIMIT = 4096;

/**
 * Splits a long reply into messages of at most `limit` characters, at line
 * boundaries where possible (a delivered item is never cut mid-line unless
 * one line alone is longer than a message).
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
      parts.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    current = rest;
  }
  flush();
  return parts;
}
