import { formatRupiah as rp } from '../domain/money.js';
import type { dashIdSelling } from './dashboard-id-selling.js';

/** The dashboard in English: referral, back-in-stock wishes, and a product's selling options. */
export const dashEnSelling: typeof dashIdSelling = {
  selling: {
    title: 'Referral and back in stock',
    referral: 'Referral',
    percent: (p) => (p > 0 ? `A ${p}% commission on every delivered purchase of a referred buyer (REFERRAL_PERCENT).` : 'Referral is off (REFERRAL_PERCENT=0): no codes are handed out and no commission is paid.'),
    referrers: 'Referrers',
    referrersHead: ['Buyer', 'Code', 'Referred', 'Bought', 'Net commission', 'Owed'],
    noReferrers: 'No buyer has referred anyone yet.',
    joined: 'Referred buyers (latest)',
    joinedHead: ['Buyer', 'Referred by', 'Since'],
    commissions: 'Latest commissions',
    commissionsHead: ['Order', 'Referrer', 'Buyer', 'Commission', 'State', 'When'],
    noCommissions: 'No commission yet.',
    takenBack: (n, owed) => `taken back ${rp(n)}${owed > 0 ? `, ${rp(owed)} owed` : ''}`,
    paid: 'paid',
    restock: 'Back in stock (.notify)',
    waiting: 'Awaited products',
    waitingHead: ['Product', 'Buyers waiting'],
    noWaiting: 'No buyer is waiting for stock.',
    notices: (sent, skipped, queued) =>
      `Notices in the last 30 days: <b>${sent}</b> sent, <b data-restock-skipped>${skipped}</b> skipped (outside WhatsApp's 24 hours with no template, or refused), ${queued} queued.`,
  },
  handling: {
    detail: 'Detail from the buyer',
    deliverTitle: 'Deliver by hand',
    deliverHint: (detail) => `This order is paid and waits for you${detail ? ` (the buyer's detail: <b>${detail}</b>)` : ''}. The text below goes to the buyer as the goods and is kept (as <code>.kirim</code> does).`,
    deliverPlaceholder: 'The goods for the buyer: account, code, invitation link …',
    deliver: 'Send to the buyer',
    delivered: (id) => `${id} delivered to the buyer.`,
    deliveredTitle: 'Delivered by hand',
    summary: 'How it sells',
    form: 'Detail from the buyer',
    formNone: 'none',
    formEmail: 'e-mail',
    formText: 'free text',
    manual: 'delivered by hand by an admin',
    warranty: 'Warranty (days, 0 = none)',
    saved: (code) => `How ${code} sells is saved.`,
    facts: (form, byHand, days) =>
      [form ? `asks for ${form === 'email' ? 'an e-mail' : 'a text'}` : '', byHand ? 'by hand' : '', days > 0 ? `${days}-day warranty` : ''].filter(Boolean).join(' · '),
  },
};
