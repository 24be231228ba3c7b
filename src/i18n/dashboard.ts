import { dashEn } from './dashboard-en.js';
import { dashEnMore } from './dashboard-en-more.js';
import { dashId } from './dashboard-id.js';
import { dashIdMore } from './dashboard-id-more.js';
import type { Locale } from '../app/ports.js';

/** Every word of the seller's dashboard, in one language (LOCALE). */
export type DashTexts = typeof dashId & typeof dashIdMore;

const DASH: Record<Locale, DashTexts> = { id: { ...dashId, ...dashIdMore }, en: { ...dashEn, ...dashEnMore } };
export const dashboardTexts = (locale: Locale): DashTexts => DASH[locale];
