import type { Order, ProductWithStock } from '../app/ports.js';
import { FAILED_WHY_EN as FAILED_WHY, TOPUP_WHY_EN as TOPUP_WHY } from './topup-words.js';
import { formatRupiah as rp } from '../domain/money.js';
import { clip, formatWibEn, renderCatalogue, renderCatalogueList } from './format.js';
import type { Texts } from '../app/ports.js';
import { enOperator } from './en-operator.js';

const USAGE: Record<string, string> = {
  info: 'info CODE',
  deposit: 'deposit AMOUNT (e.g. deposit 50000)',
  kirimulang: 'resend ORDER_ID',
  addproduk: 'addproduk CODE|Name|Price|Description|Category',
  setkategori: 'setkategori CODE CATEGORY (- = none)',
  setharga: 'setharga CODE PRICE [ROLE]',
  setjudul: 'setjudul CODE NAME',
  setdesc: 'setdesc CODE DESCRIPTION',
  delproduk: 'delproduk CODE',
  addstok: 'addstok CODE, then one item per line below it',
  delstok: 'delstok CODE [COUNT]',
  addsaldo: 'addsaldo NUMBER AMOUNT',
  cekbayar: 'cekbayar [ORDER_ID]',
  grup: 'grup on|off (inside the group)',
  setrole: 'setrole NUMBER ROLE (e.g. {p}setrole 6281234567890 reseller)',
  block: 'block NUMBER',
  unblock: 'unblock NUMBER',
  lepas: 'lepas NUMBER',
  rekap: 'rekap [today|7d|30d]',
  broadcast: 'broadcast MESSAGE',
  minsaldo: 'minsaldo NUMBER AMOUNT',
  setinfo: 'setinfo name|welcome|contact|hours|payment TEXT (- clears it); {p}setinfo belowcost yes|no (top-ups may sell below cost)',
  addvoucher: 'addvoucher CODE DISCOUNT [MAX_USES] [DAYS_VALID] (DISCOUNT 10% or 5000)',
  delvoucher: 'delvoucher CODE',
  buy: 'buy CODE [QTY] [VOUCHER] (top-up: {p}buy CODE TARGET [VOUCHER])',
  buynow: 'buynow CODE [QTY] [VOUCHER] (top-up: {p}buynow CODE TARGET [VOUCHER])',
  topup: 'topup CODE TARGET [ZONE] [VOUCHER] — top-up products only (airtime, games, tokens; see {p}produk); to add balance: {p}deposit AMOUNT',
  setsku: 'setsku CODE SUPPLIER_SKU (- = a stock product again)',
};


/** A product's line ending: its stock, or a top-up's state. */
const stockLabel = (x: ProductWithStock): string =>
  x.supplierSku ? (x.topup === 'ok' || x.topup === undefined ? 'top-up' : x.topup === 'cut_off' ? 'cut-off' : 'unavailable') : x.available > 0 ? `${x.available} in stock` : 'SOLD OUT';


/** ` (voucher HEMAT10 −Rp1.500)` after a discounted order's line. */
const voucherNote = (o: Order): string => (o.discount > 0 ? ` (voucher ${o.voucherCode ?? ''} −${rp(o.discount)})` : '');

export const en: Texts = {
  ...enOperator,
  menu: (p, isAdmin) =>
    [
      '*Menu*',
      `${p}list — products`,
      `${p}info CODE — product details`,
      `${p}buy CODE [QTY] [VOUCHER] — buy (uses your balance when it covers the total)`,
      `${p}topup CODE TARGET [VOUCHER] — a top-up (credit, games, tokens) to a number/ID`,
      `${p}buynow CODE [QTY] [VOUCHER] — buy with a payment link`,
      `${p}balance — your balance`,
      `${p}deposit AMOUNT — add to your balance`,
      `${p}history — recent orders`,
      `${p}cancel — cancel the order awaiting payment`,
      `${p}resend ORDER — resend delivered goods`,
      `${p}info — store info · ${p}cs — contact the seller`,
      ...(isAdmin
        ? [
            '',
            '*Admin*',
            `${p}addproduk CODE|Name|Price|Description|Category`,
            `${p}setharga CODE PRICE · ${p}setjudul CODE NAME · ${p}setdesc CODE TEXT`,
            `${p}delproduk CODE`,
            `${p}addstok CODE (one item per line) · ${p}delstok CODE [N]`,
            `${p}addsaldo NUMBER AMOUNT · ${p}minsaldo NUMBER AMOUNT`,
            `${p}cekbayar [ORDER] — re-check payments with Midtrans`,
            `${p}grup on|off — the bot in this group`,
            `${p}setrole NUMBER ROLE · ${p}setharga CODE PRICE ROLE`,
            `${p}block NUMBER · ${p}unblock NUMBER · ${p}lepas NUMBER — may buy again after a reversed payment`,
            `${p}rekap [today|7d|30d] · ${p}stats · ${p}performa · ${p}broadcast TEXT`,
            `${p}setinfo name|welcome|contact|hours|payment TEXT (- = clear)`,
            `${p}setkategori CODE CATEGORY`,
            `${p}addvoucher CODE 10%|5000 [MAX_USES] [DAYS] · ${p}delvoucher CODE · ${p}vouchers`,
            `${p}setsku CODE SKU — make it a supplier top-up (- = stock product) · ${p}supplier — supplier deposit & sync`,
          ]
        : []),
    ].join('\n'),
  unknownCommand: (p) => `Unknown command. Send ${p}menu for the list of commands, or ${p}list for products.`,
  sendText: (p) => `Please send commands as text, e.g. ${p}menu`,
  catalogue: (view, p) =>
    renderCatalogue(view, p, {
      empty: 'No products yet.',
      title: '*Products*',
      none: 'Other',
      line: (x) => `• ${x.code} — ${clip(x.name, 60)} — ${rp(x.price)} — ${stockLabel(x)}`,
      count: (n) => `${n} products`,
      more: (n) => `… and ${n} more categories (all products: ${p}list 1)`,
      open: `Open a category: ${p}list CATEGORY`,
      all: `All products page by page: ${p}list 1`,
      page: (n, of) => `page ${n}/${of}`,
      next: (cmd) => `Next page: ${cmd}`,
      buy: `Buy: ${p}buy CODE [QTY] · details: ${p}info CODE`,
    }),
  storeInfo: (s, p) =>
    [
      `*${s.name || 'Store info'}*`,
      ...(s.hours ? [`Open: ${s.hours}`] : []),
      `Payment: ${s.payment || `balance (${p}topup) or a Midtrans payment link (QRIS, e-wallets, bank transfer)`}`,
      `Contact: send ${p}cs`,
      '',
      `Product details: ${p}info CODE · list: ${p}list`,
    ].join('\n'),
  contact: (s, admins) => s.contact || (admins.length ? ['Contact the seller:', ...admins.map((a) => `wa.me/${a}`)].join('\n') : 'The seller has not set a contact yet.'),
  catalogueList: (view, p) =>
    renderCatalogueList(view, p, {
      none: 'Other',
      title: '*Products*',
      pick: 'Tap the button below and choose.',
      categoriesButton: 'Categories',
      productsButton: 'See products',
      page: (n, of) => `page ${n}/${of}`,
      count: (n) => `${n} products`,
      stock: stockLabel,
      next: 'Next page',
      navigation: 'More',
    }),
  productInfo: (x, p) =>
    [
      `*${x.name}* (${x.code})`,
      `Price: ${rp(x.price)}`,
      x.supplierSku ? `Top-up: ${x.topup === 'ok' || x.topup === undefined ? 'available' : (TOPUP_WHY[x.topup ?? ''] ?? 'unavailable')}` : `Stock: ${x.available > 0 ? x.available : 'sold out'}`,
      ...(x.description ? ['', x.description] : []),
      '',
      x.supplierSku ? `Buy: ${p}buy ${x.code} TARGET` : `Buy: ${p}buy ${x.code}`,
    ].join('\n'),
  error: (code, params, p) => {
    switch (code) {
      case 'UNKNOWN_VOUCHER':
        return `No voucher "${params.code ?? ''}". No order was made.`;
      case 'VOUCHER_EXPIRED':
        return `Voucher "${params.code ?? ''}" is no longer valid. No order was made.`;
      case 'VOUCHER_USED_UP':
        return `Sorry, voucher "${params.code ?? ''}" has been used up. No order was made; buy without it if you like.`;
      case 'VOUCHER_ALREADY_USED':
        return `You have already used voucher "${params.code ?? ''}". No order was made.`;
      case 'VOUCHER_NOT_APPLICABLE':
        return `Voucher "${params.code ?? ''}" cannot be used on this total (at least Rp1.000 after the discount).`;
      case 'VOUCHER_EXISTS':
        return `Voucher code "${params.code ?? ''}" was made before.`;
      case 'UNKNOWN_CATEGORY':
        return `No category "${params.category ?? ''}". Send ${p}list for the categories.`;
      case 'NO_SUCH_PAGE':
        return `There is no page ${params.page ?? ''} (${params.pages ?? ''} pages).`;
      case 'UNKNOWN_PRODUCT':
        return `No product "${params.code ?? ''}". Send ${p}list for the catalogue.`;
      case 'PRODUCT_EXISTS':
        return `Product code "${params.code ?? ''}" is already taken.`;
      case 'SOLD_OUT':
        return `Sorry, ${params.code ?? ''} is sold out${params.available ? ` (${params.available} left)` : ''}.`;
      case 'INVALID_QTY':
        return `Quantity must be a number from 1 to ${params.max ?? 100}.`;
      case 'INVALID_AMOUNT':
        return 'The amount must be a positive whole number, e.g. 50000.';
      case 'INVALID_INPUT':
        return `Wrong format. Example: ${p}${(USAGE[String(params.command)] ?? 'menu').replaceAll('{p}', p)}`;
      case 'INVALID_NUMBER':
        return 'Invalid WhatsApp number. Digits only, e.g. 6281234567890.';
      case 'ACCOUNT_HELD':
        return `Purchases from this number are on hold: the payment for ${params.orderId ?? 'an earlier order'} was reversed by the bank. The admin will contact you.`;
      case 'TRANSACTION_IN_PROGRESS':
        return `A transaction is in progress${params.orderId ? ` (${params.orderId})` : ''}. Finish paying for it or send ${p}cancel.`;
      case 'NO_PENDING_ORDER':
        return 'You have no order awaiting payment.';
      case 'UNKNOWN_ORDER':
        return `Order "${params.orderId ?? ''}" not found.`;
      case 'NOT_DELIVERED':
        return `Order ${params.orderId ?? ''} has not been delivered, so there is nothing to resend.`;
      case 'INSUFFICIENT_BALANCE':
        return `Not enough balance (balance ${rp(Number(params.balance ?? 0))}).`;
      case 'NOT_ADMIN':
        return 'This command is for admins only.';
      case 'PAYMENT_UNAVAILABLE':
        return 'Payments cannot be created right now. Please try again shortly.';
      case 'ILLEGAL_TRANSITION':
        return 'The order has changed meanwhile. Check your history.';
      case 'MESSAGE_TOO_LONG':
        return `That message is too long (at most ${params.max ?? 4096} characters), so it was not processed.`;
      case 'BAD_CHARACTERS':
        return 'That message contains control characters. Nothing was changed; type it again without them.';
      case 'TOPUP_UNAVAILABLE':
        return `Sorry, ${params.code ?? ''} ${TOPUP_WHY[String(params.why)] ?? 'is not available'}. Nothing was charged.`;
      case 'TOPUP_TARGET':
        return [
          `Add the top-up TARGET. Example: ${p}${params.command ?? 'buy'} ${params.code ?? 'CODE'} 081234567890`,
          'Games with a zone: 12345678(1234) or 12345678 1234. A voucher may follow.',
          ...(params.hint ? [String(params.hint)] : []),
          'Nothing was charged.',
        ].join('\n');
      case 'TOPUP_REPEAT':
        return `${params.code ?? ''} to ${params.target ?? ''} was already bought today (${params.orderId ?? ''}). The supplier serves it once per number per day: try tomorrow, or choose another amount. Nothing was charged.`;
      case 'TOPUP_BELOW_COST':
        return params.voucher
          ? `Voucher ${params.voucher} cannot be used on ${params.code ?? ''}: its discount would take the price below cost. Buy without it: ${p}buy ${params.code ?? ''} TARGET. Nothing was charged.`
          : `Sorry, ${params.code ?? ''} is unavailable: its price is below the supplier's cost. Nothing was charged.`;
      case 'TOPUP_METER':
        return `PLN meter ${params.target ?? ''} was not found${params.message ? ` (${params.message})` : ''}. Check the number on the kWh meter or the last receipt. Nothing was charged.`;
      case 'UNKNOWN_SKU':
        return `SKU "${params.sku ?? ''}" is not in the supplier's price list. Check the code (buyer_sku_code) or send .supplier.`;
      case 'TOPUP_OPEN':
        return `Top-up ${params.orderId ?? ''} is still with the supplier and may yet succeed. Wait for its answer; after 24 hours without one the admins are told, and only then can it be refunded by hand.`;
      case 'PRODUCT_HAS_STOCK':
        return `${params.code ?? ''} still has ${params.available ?? ''} items in stock. Remove them with .delstok ${params.code ?? ''} before making it a top-up.`;
      case 'STALE_MESSAGE':
        return `This ${p}${params.command ?? ''} was sent more than ${params.minutes ?? 10} minutes ago (delayed on the way), so it was not carried out. Send it again if you still want it.`;
    }
  },
  rateLimited: (kind, limit, s) =>
    kind === 'buy' ? `At most ${limit} transactions per minute. Try again in ${s} seconds.` : `Too many messages. Try again in ${s} seconds.`,
  systemError: () => 'Sorry, something is wrong on our side. Please try again shortly.',
  usage: (command, p) => `Usage: ${p}${(USAGE[command] ?? command).replaceAll('{p}', p)}`,
  delivered: (o, items) =>
    [
      `✅ Order ${o.publicId} complete!`,
      `${o.productName ?? ''} x${o.qty} — ${rp(o.total)}${voucherNote(o)}`,
      '',
      ...items.map((i) => i.payload),
      '',
      'Keep this message. Thank you!',
    ].join('\n'),
  paidByBalance: (o, left) => `Paid from balance: ${rp(o.total)} for ${o.publicId}. Balance left ${rp(left)}.`,
  paymentLink: (o, url) =>
    [
      `🧾 Order ${o.publicId}`,
      o.kind === 'deposit' ? `Balance top-up ${rp(o.total)}` : `${o.productName ?? ''} x${o.qty} — ${rp(o.total)}${voucherNote(o)}`,
      '',
      'Pay here:',
      url,
      '',
      ...(o.expiresAt ? [`Pay before ${formatWibEn(o.expiresAt)}.`] : []),
      o.kind === 'deposit' ? 'Your balance is credited once paid.' : 'Goods are sent automatically once paid.',
    ].join('\n'),
  qrisPayment: (o) =>
    [
      `🧾 Order ${o.publicId}`,
      o.kind === 'deposit' ? `Balance top-up ${rp(o.total)}` : `${o.productName ?? ''} x${o.qty}${voucherNote(o)}`,
      `Total: *${rp(o.total)}*`,
      '',
      'Scan the QRIS above with any e-wallet or banking app.',
      ...(o.expiresAt ? [`Pay before ${formatWibEn(o.expiresAt)}.`] : []),
      o.kind === 'deposit' ? 'Your balance is credited once paid.' : 'Goods are sent automatically once paid.',
    ].join('\n'),
  depositCredited: (o, bal) => `✅ Top-up ${o.publicId} ${rp(o.total)} received. Balance now ${rp(bal)}.`,
  balance: (amount, name) => `Balance${name ? ` of ${name}` : ''}: ${rp(amount)}`,
  history: (orders) =>
    orders.length === 0
      ? 'No orders yet.'
      : [
          '*Recent orders*',
          ...orders.map(
            (o) => `• ${o.publicId} — ${o.kind === 'deposit' ? 'Top-up' : `${o.productCode ?? ''} x${o.qty}`} — ${rp(o.total)} — ${o.status}`,
          ),
        ].join('\n'),
  cancelled: (o) => `Order ${o.publicId} cancelled.`,
  cancelTooLate: (o) => `The payment for ${o.publicId} has already arrived, so the order is not cancelled. ${o.kind === 'deposit' ? 'Your balance goes up shortly.' : 'Your goods are on their way to this chat.'}`,
  orderClosed: (o, why) =>
    why === 'expired'
      ? `⌛ Order ${o.publicId} expired unpaid.`
      : why === 'cancelled'
        ? `Order ${o.publicId} was cancelled.`
        : `Payment for order ${o.publicId} failed.`,
  paymentUnavailable: (o) => `Sorry, the payment link for ${o.publicId} could not be created. The order is cancelled; please try again later.`,
  latePaymentCredited: (o, bal) =>
    `Payment for ${o.publicId} (${rp(o.total)}) arrived after the order closed and the stock is gone, so it was added to your balance. Balance now ${rp(bal)}.`,
  paymentInReview: (o) => `Payment for ${o.publicId} (${rp(o.total)}) is being reviewed by the payment provider. Your goods come as soon as it is approved.`,
  paymentReversed: (o, taken, owed) =>
    `Payment for ${o.publicId} (${rp(o.total)}) was reversed by the bank or payment provider and the money went back to you.` +
    (taken > 0 ? ` ${rp(taken)} of balance from this order was taken back.` : '') +
    (owed > 0 ? ` ${rp(owed)} is still owed.` : '') +
    ' Further purchases wait for the admin.',
  sentPrivately: () => 'The answer went to your private chat.',
  topupDelivered: (o, sn, msg) =>
    [
      `✅ Top-up ${o.publicId} done!`,
      `${o.productName ?? ''} — ${rp(o.total)}${voucherNote(o)}`,
      `Target: ${o.target ?? ''}`,
      sn !== null ? `SN: ${sn}` : `Supplier's note: ${clip(msg, 200) || 'Transaksi Sukses'} (no SN)`,
      '',
      'Keep this message. Thank you!',
    ].join('\n'),
  meterOwner: (o, name, segment) => `🔌 Meter ${o.target ?? ''} belongs to ${name}${segment ? ` (${segment})` : ''}.${o.status === 'pending' ? ' Not the meter you meant? Do not pay: send .cancel.' : ''}`,
  topupProcessing: (o) => `⏳ Payment received. Top-up ${o.publicId} (${o.productName ?? ''} to ${o.target ?? ''}) is being processed by the supplier. The SN comes to this chat when it is done; if it fails, the money goes back to your balance.`,
  topupFailed: (o, why, bal) => `❌ Top-up ${o.publicId} (${o.productName ?? ''} to ${o.target ?? ''}) failed: ${FAILED_WHY[why]}. ${rp(o.total)} went back to your balance. Balance now ${rp(bal)}.`,
  balanceAdjustedNotice: (amount, bal) => `Your balance ${amount >= 0 ? 'increased' : 'decreased'} by ${rp(Math.abs(amount))}. Balance now ${rp(bal)}.`,
};
