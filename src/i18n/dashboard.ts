import { dashEn } from './dashboard-en.js';
import { dashEnManage } from './dashboard-en-manage.js';
import { dashEnOrders } from './dashboard-en-orders.js';
import { dashEnSetup } from './dashboard-en-setup.js';
import { dashEnStore } from './dashboard-en-store.js';
import { dashEnSelling } from './dashboard-en-selling.js';
import { dashId } from './dashboard-id.js';
import { dashIdManage } from './dashboard-id-manage.js';
import { dashIdOrders } from './dashboard-id-orders.js';
import { dashIdSetup } from './dashboard-id-setup.js';
import { dashIdStore } from './dashboard-id-store.js';
import { dashIdSelling } from './dashboard-id-selling.js';
import type { Locale } from '../app/ports.js';

/*
 * Every word of the seller's dashboard, one file per language and page group, as the pages
 * are grouped (http/admin/pages-*.ts): the frame (nav, login, charts), the store (overview,
 * products, stock), managing (categories, vouchers, broadcast, reports), orders and buyers,
 * the set-up (top-ups, settings, WhatsApp), and selling more (referral, back in stock).
 */
export type DashTexts = typeof dashId & typeof dashIdStore & typeof dashIdManage & typeof dashIdOrders & typeof dashIdSetup & typeof dashIdSelling;

const DASH: Record<Locale, DashTexts> = {
  id: { ...dashId, ...dashIdStore, ...dashIdManage, ...dashIdOrders, ...dashIdSetup, ...dashIdSelling },
  en: { ...dashEn, ...dashEnStore, ...dashEnManage, ...dashEnOrders, ...dashEnSetup, ...dashEnSelling },
};
export const dashboardTexts = (locale: Locale): DashTexts => DASH[locale];
