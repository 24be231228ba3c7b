import { en } from './en.js';
import { id } from './id.js';
import type { Locale, Texts } from '../app/ports.js';

export type { Locale, Texts } from '../app/ports.js';
import { clip } from '../domain/text.js';

/** What a user typed comes back clipped (an unknown 100 KB "code" is not echoed in full). */
const clipped = (texts: Texts): Texts => ({
  ...texts,
  error: (code, params, prefix) =>
    texts.error(code, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? clip(v) : v])), prefix),
});

const locales = { id: clipped(id), en: clipped(en) };
export const textsFor = (locale: Locale): Texts => locales[locale];
