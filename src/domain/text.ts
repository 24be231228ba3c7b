/** Control characters other than tab and line breaks: no person types them, and PostgreSQL refuses NUL in text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** The text without its control characters (a profile name is whatever the sender set). */
export const withoutControlCharacters = (text: string): string => text.replace(new RegExp(CONTROL.source, 'g'), '');

/** Text a reply echoes back (a code, an order id as typed), clipped so a flood is not repeated. */
export function clip(text: string, max = 40): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** WhatsApp's limit for one text message. */
export const MAX_MESSAGE = 4096;
