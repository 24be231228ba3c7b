import type { dashId } from './dashboard-id.js';

const WIB_LONG = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The dashboard's words in English (`LOCALE=en`). HTML in, HTML out, as in Indonesian. */
export const dashEn: typeof dashId = {
  lang: 'en',
  /** `30 Nov 2026, 08:05 WIB`. */
  when: (d) => `${WIB_LONG.format(d)} WIB`,
  nav: {
    '/admin': 'Overview',
    '/admin/products': 'Products',
    '/admin/categories': 'Categories',
    '/admin/stock': 'Stock',
    '/admin/topups': 'Top-ups',
    '/admin/vouchers': 'Vouchers',
    '/admin/orders': 'Orders',
    '/admin/buyers': 'Buyers',
    '/admin/broadcast': 'Broadcast',
    '/admin/reports': 'Reports',
    '/admin/settings': 'Settings',
    '/admin/whatsapp': 'WhatsApp',
    '/admin/system': 'System',
  },
  common: {
    logout: 'Log out',
    save: 'Save',
    add: 'Add',
    search: 'Search',
    prev: '← Previous',
    next: 'Next →',
    page: (n, of) => `page ${n}${of ? ` of ${of}` : ''}`,
    product: 'products',
    noSales: 'No sales yet.',
    noToken: 'Set <code>ADMIN_TOKEN</code> to use the dashboard.',
    dashboard: 'Dashboard',
    refused: 'Refused',
    badInput: 'A field holds a character that is not supported (NUL). Nothing was changed; type it again.',
    csrf: 'This form has expired or is not valid (CSRF). Reload the page.',
  },
  login: { title: 'Log in', heading: 'Log in to the dashboard', button: 'Log in', tooMany: 'Too many attempts. Try again in 15 minutes.', wrong: 'Wrong token.' },
  status: {
    pending: 'awaiting payment',
    paid: 'paid',
    delivered: 'delivered',
    expired: 'expired',
    cancelled: 'cancelled',
    failed: 'failed',
    refunded: 'refunded',
    reversed: 'reversed by the bank',
  },
  chart: {
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    short: (n) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1_000 ? `${Math.round(n / 1_000)}k` : String(n)),
    max: 'max',
    total: 'total',
    revenue: 'Revenue per day, 30 days',
    orders: 'Orders per day, 30 days',
    ordersUnit: (n) => `${n} ${n === 1 ? 'order' : 'orders'}`,
    top: 'Top products, 30 days',
    topCaption: 'Top products, 30 days: revenue and count sold',
    sold: (n) => `${n} sold`,
  },
};
