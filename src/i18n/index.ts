import { en } from './en.js';
import { id } from './id.js';
import type { Locale, Texts } from '../app/ports.js';

export type { Locale, Texts } from '../app/ports.js';
import { clip, clipWords } from '../domain/text.js';

/**
 * What a user typed comes back clipped (an unknown 100 KB "code" is not echoed in full); a
 * product's description (`hint`, the seller's own words) is cut at a word, not mid-word.
 */
const clipped = (texts: Texts): Texts => ({
  ...texts,
  error: (code, params, prefix) =>
    texts.error(code, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v !== 'string' ? v : k === 'hint' ? clipWords(v, 200) : clip(v)])), prefix),
});

const locales = { id: clipped(id), en: clipped(en) };
export const textsFor = (locale: Locale): Texts => locales[locale];
