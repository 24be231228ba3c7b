import { en } from './en.js';
import { id } from './id.js';
import type { Locale, Texts } from './texts.js';

export type { Locale, Texts } from './texts.js';
export const textsFor = (locale: Locale): Texts => (locale === 'en' ? en : id);
