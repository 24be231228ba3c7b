import { formatRupiah as rp, MAX_AMOUNT } from '../domain/money.js';
import type { Texts } from '../app/ports.js';
import { TOPUP_WHY_EN as TOPUP_WHY } from './topup-words.js';

/* The refusals in English: why a command changed nothing, and how to write it. Each says that nothing was charged or changed where it matters. */

/** Why a destination cannot be one for a product of its kind (after the destination the buyer wrote). */
const KIND_EN: Record<string, string> = {
  bill: 'is not a valid customer number: 4–30 digits',
  phone: 'is not a valid phone number: 10–13 digits starting with 08, from an Indonesian operator (e.g. 081234567890)',
  meter: 'is not a PLN meter or customer ID: 11 or 12 digits, no spaces',
  game: 'is not a valid game ID: 4–16 digits, a zone may follow as 12345678(1234)',
};

/** How each command is written (`{p}` stands for the buyer's prefix), keyed by its first name in the command table. */
export const USAGE_EN: Record<string, string> = {
  info: 'info CODE',
  deposit: 'deposit AMOUNT (e.g. deposit 50000)',
  kirimulang: 'resend ORDER_ID',
  addproduk: 'addproduk CODE|Name|Price|Description|Category',
  setmodal: 'setmodal CODE COST (what one item costs you; - = unknown)',
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
  topup: 'topup CODE TARGET [ZONE] [VOUCHER] — top-up products only (airtime, games, tokens; see {p}list); to add balance: {p}deposit AMOUNT',
  setsku: 'setsku CODE SUPPLIER_SKU [BACKUP_SKU] (e.g. {p}setsku XL10 xld10 vip:XLPULSA10; - = a stock product again)',
  setcek: 'setcek CODE GAME (the supplier\'s game name, e.g. mobile-legends; - = the supplier\'s own)',
  notify: 'notify [CODE] [off] — be told when a sold-out product is back; without CODE: your list',
  klaim: 'klaim ORDER_ID REASON (e.g. {p}klaim KD-20261204-ABCD1234 the account does not log in)',
  ganti: 'ganti ORDER_ID',
  tolak: 'tolak ORDER_ID REASON',
  setgaransi: 'setgaransi CODE DAYS (0 = no warranty)',
  setform: 'setform CODE email|text|- (the detail asked of buyers; - = none)',
  setmanual: 'setmanual CODE [off] (delivered by hand with .kirim)',
  kirim: 'kirim ORDER_ID TEXT (the goods; several lines allowed)',
  ref: 'ref CODE (your friend\'s referral code)',
  tagihan: 'tagihan CODE CUSTOMER_NUMBER (e.g. {p}tagihan PLNPASCA 530000000001)',
};

export const refusalEn: Texts['error'] = (code, params, p) => {
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
      return params.available
        ? `Sorry, only ${params.available} of ${params.code ?? ''} left, fewer than the ${params.asked ?? ''} you asked for. Buy at most ${params.available}: ${p}buy ${params.code ?? ''} ${params.available}.`
        : `Sorry, ${params.code ?? ''} is sold out.`;
    case 'INVALID_QTY':
      return `Quantity must be a number from 1 to ${params.max ?? 100}.`;
    case 'INVALID_AMOUNT':
      return params.min
        ? `A deposit is ${rp(Number(params.min))} to ${rp(Number(params.max ?? MAX_AMOUNT))}, a whole number without dots or commas, e.g. 50000.`
        : `The amount must be a whole number, at most ${rp(Number(params.max ?? MAX_AMOUNT))}, e.g. 50000.`;
    case 'INVALID_INPUT':
      return `Wrong format. Example: ${p}${(USAGE_EN[String(params.command)] ?? 'menu').replaceAll('{p}', p)}`;
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
        ...(params.target ? [`${params.target} ${KIND_EN[String(params.kind)] ?? 'is not a valid target for this product'}.`] : []),
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
    case 'TOPUP_GAME_ID':
      return `ID ${params.target ?? ''} was not found in ${params.game ?? 'this game'}${params.message ? ` (${params.message})` : ''}. Check the ID and the zone (server) in the game's profile. Nothing was charged.`;
    case 'PRICE_CHANGED':
      return `The price of ${params.code ?? ''} changed since you confirmed (now ${rp(Number(params.total ?? 0))}). Nothing was charged; send ${p}buy ${params.code ?? ''} again if you still want it.`;
    case 'IN_STOCK':
      return `${params.code ?? ''} is on sale now, no need to wait: ${p}buy ${params.code ?? ''}`;
    case 'TOO_MANY_WISHES':
      return `You are already waiting for ${params.max ?? 20} products. Cancel one first (${p}notify CODE off); your list: ${p}notify`;
    case 'NO_WARRANTY':
      return `Order ${params.orderId ?? ''} has no warranty (top-ups and products without one cannot be claimed).`;
    case 'WARRANTY_OVER':
      return `The warranty of order ${params.orderId ?? ''} (${params.days ?? ''} days from delivery) is over.`;
    case 'CLAIM_OPEN':
      return `Order ${params.orderId ?? ''} already has a claim an admin is looking at. Please wait for the answer.`;
    case 'NO_OPEN_CLAIM':
      return `No open claim for ${params.orderId ?? ''}.`;
    case 'REASON_TOO_LONG':
      return `The reason is too long: ${params.max ?? 500} characters at most. Nothing was changed.`;
    case 'DETAIL_REQUIRED':
      return `${params.code ?? ''} needs ${params.form === 'email' ? 'your e-mail address' : 'a detail'} from you. Write: ${p}buy ${params.code ?? ''} ${params.form === 'email' ? 'you@mail.com' : 'DETAIL'}. Nothing was charged.`;
    case 'BAD_DETAIL':
      return params.form === 'email'
        ? `That is not a valid e-mail address. Write one address, e.g. ${p}buy ${params.code ?? ''} name@gmail.com. Nothing was charged.`
        : `The detail is too long (200 characters at most). Nothing was charged.`;
    case 'NOT_BY_HAND':
      return `Order ${params.orderId ?? ''} is not waiting for delivery by hand (only paid orders of manual products are).`;
    case 'REFERRAL_OFF':
      return 'This store has no referral programme.';
    case 'REF_ALREADY':
      return 'You joined through a referral already (once only).';
    case 'REF_UNKNOWN':
      return `Referral code "${params.code ?? ''}" not found. Check the code.`;
    case 'REF_SELF':
      return 'That is your own referral code.';
    case 'REF_CIRCLE':
      return 'That code belongs to someone you referred; referrals cannot go in a circle.';
    case 'REF_TOO_LATE':
      return 'Referral is for buyers who have not bought yet.';
    case 'NOT_A_BILL':
      return `${params.code ?? ''} is not a bill product. Buy it with ${p}buy ${params.code ?? ''}; products: ${p}produk.`;
    case 'BILL_PRODUCT':
      return `${params.code ?? ''} is a bill: check the bill first with ${p}tagihan ${params.code ?? ''} CUSTOMER_NUMBER. Nothing was charged.`;
    case 'BILL_NONE':
      return `No ${params.code ?? ''} bill for ${params.target ?? ''}${params.message ? ` (${params.message})` : ''}. Check the number, or try again later if this month's bill is not out yet. Nothing was charged.`;
    case 'BILL_UNKNOWN':
      return `The ${params.code ?? ''} bill cannot be checked now (the supplier did not answer). Try again in a few minutes. Nothing was charged.`;
    case 'NOTHING_TO_CONFIRM':
      return `Nothing is waiting for your confirmation (or it is over 10 minutes old). Check a bill first: ${p}tagihan CODE CUSTOMER_NUMBER.`;
    case 'STALE_MESSAGE':
      return `This ${p}${params.command ?? ''} was sent more than ${params.minutes ?? 10} minutes ago (delayed on the way), so it was not carried out. Send it again if you still want it.`;
  }
};
