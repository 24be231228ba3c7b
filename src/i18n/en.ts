import type { Order, ProductWithStock } from '../app/ports.js';
import { FAILED_WHY_EN as FAILED_WHY, TOPUP_WHY_EN as TOPUP_WHY } from './topup-words.js';
import { formatRupiah as rp } from '../domain/money.js';
import { shownTarget } from '../domain/topup.js';
import { billLines, clip, formatWibEn, renderCatalogue, renderCatalogueList } from './format.js';
import type { Texts } from '../app/ports.js';
import { refusalEn, USAGE_EN } from './en-refusals.js';
import { enOperator } from './en-operator.js';



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
      `${p}tagihan CODE NUMBER — check a bill (PLN postpaid, BPJS, …), then ${p}ya to pay it`,
      `${p}notify CODE — be told when a sold-out product is back (${p}notify: your list)`,
      `${p}klaim ID REASON — a warranty claim on an order`,
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
            `${p}setmodal CODE COST — what an item costs you, for profit`,
            `${p}setkategori CODE CATEGORY`,
            `${p}addvoucher CODE 10%|5000 [MAX_USES] [DAYS] · ${p}delvoucher CODE · ${p}vouchers`,
            `${p}setsku CODE SKU [BACKUP] — make it a supplier top-up (vip:CODE = VIP-Reseller; - = stock product) · ${p}supplier — supplier deposit & sync`,
            `${p}setcek CODE GAME — the game IDs are checked in before payment · ${p}setharga CODE 0 — a bill with no store fee`,
            `${p}setgaransi CODE DAYS · ${p}ganti ID · ${p}tolak ID REASON — warranty & claims`,
          ]
        : []),
    ].join('\n'),
  resumedMidway: (text, p) => `⚠️ The store restarted while it was handling your message "${clip(text, 60)}". Whatever it did is kept: check ${p}riwayat and ${p}saldo before you send it again.`,
  unknownCommand: (p) => `Unknown command. Send ${p}menu for the list of commands, or ${p}list for products.`,
  sendText: (p) => `Please send commands as text, e.g. ${p}menu`,
  catalogue: (view, p) =>
    renderCatalogue(view, p, {
      empty: 'No products yet.',
      title: '*Products*',
      none: 'Other',
      line: (x) => `• ${x.code} — ${clip(x.name, 60)} — ${x.offer?.postpaid ? `bill${x.price > 0 ? ` + fee ${rp(x.price)}` : ''}` : rp(x.price)} — ${stockLabel(x)}`,
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
      x.offer?.postpaid ? `Check & pay: ${p}tagihan ${x.code} CUSTOMER_NUMBER` : x.supplierSku ? `Buy: ${p}buy ${x.code} TARGET` : `Buy: ${p}buy ${x.code}`,
    ].join('\n'),
  error: refusalEn,
  rateLimited: (kind, limit, s) =>
    kind === 'buy' ? `At most ${limit} transactions per minute. Try again in ${s} seconds.` : `Too many messages. Try again in ${s} seconds.`,
  systemError: () => 'Sorry, something is wrong on our side. Please try again shortly.',
  usage: (command, p) => `Usage: ${p}${(USAGE_EN[command] ?? command).replaceAll('{p}', p)}`,
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
      ...(o.targetShown ? [`Target: *${o.targetShown}* (check it before you pay)`] : []),
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
      ...(o.targetShown ? [`Target: *${o.targetShown}*`] : []),
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
      o.soldAs?.postpaid ? `✅ Bill ${o.publicId} paid!` : `✅ Top-up ${o.publicId} done!`,
      `${o.productName ?? ''} — ${rp(o.total)}${voucherNote(o)}`,
      `${o.soldAs?.postpaid ? 'Customer number' : 'Target'}: ${o.targetShown ?? ''}`,
      sn !== null ? `${o.soldAs?.postpaid ? 'Reference' : 'SN'}: ${sn}` : `Supplier's note: ${clip(msg, 200) || 'Transaksi Sukses'} (no SN)`,
      '',
      'Keep this message. Thank you!',
    ].join('\n'),
  billShown: (c, p) =>
    [
      ...billLines(c, { title: 'Bill', number: 'Customer number', name: 'Name', period: 'Period', bill: 'Bill', admin: 'Admin fee', fee: 'Service fee', months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] }),
      '',
      `Reply *${p}ya* to pay (valid 10 minutes; from your balance when it covers it, otherwise by a payment link). ${p}batal to drop it.`,
    ].join('\n'),
  topupConfirm: (c, p) =>
    [
      c.topup?.owner
        ? c.topup.what === 'game'
          ? `🎮 ID ${shownTarget(c.target, c.targetZoneLength)} = *${c.topup.owner}*`
          : `🔌 Meter ${c.target} belongs to *${c.topup.owner}*${c.topup.segment ? ` (${c.topup.segment})` : ''}`
        : `⚠️ The owner of ${c.topup?.what === 'game' ? 'ID' : 'meter'} ${shownTarget(c.target, c.targetZoneLength)} cannot be checked now (the supplier did not answer). Make sure the number is right.`,
      `${c.topup?.productName ?? c.productCode} — ${rp(c.total)}`,
      '',
      `Reply *${p}ya* to pay (valid 10 minutes). Not the one you meant? ${p}batal.`,
    ].join('\n'),
  claimOpened: (id) => `🛡️ Warranty claim for ${id} received. An admin will look at it and answer in this chat.`,
  adminClaimOpened: (id, code, wa, why) => `[admin] Warranty claim ${id} (${code}) from ${wa}: "${clip(why, 300)}". Answer: .ganti ${id} · .tolak ${id} REASON · or refund it on the dashboard.`,
  replacementDelivered: (id, name) => `🔁 Warranty replacement for ${id} (${name}):\n\u0000\n\nKeep this message. Thank you!`,
  claimRejected: (id, why) => `Warranty claim ${id} rejected${why ? `: ${clip(why, 300)}` : '.'} Contact the seller with any question.`,
  claimAnswered: (id, how) => (how === 'replaced' ? `Claim ${id}: the replacement went to the buyer.` : `Claim ${id} rejected; the buyer was told.`),
  warrantySet: (code, days) => (days > 0 ? `${code} has a ${days}-day warranty from delivery (buyers: .klaim ORDER_ID REASON).` : `${code} has no warranty.`),
  adminManualOrder: (o) => `[admin] Manual order ${o.publicId}: ${o.productName ?? ''} ×${o.qty} for ${o.waId}${o.detail ? `, detail: ${o.detail}` : ''}. Paid ${rp(o.total)}. Send the goods: .kirim ${o.publicId} TEXT`,
  manualPaid: (o) => `✅ Payment for ${o.publicId} (${o.productName ?? ''}) received. The seller sends this order by hand${o.detail ? ` to ${o.detail}` : ''}; you will get it in this chat.`,
  handDelivered: (o, text) => [`📦 Order ${o.publicId} (${o.productName ?? ''}) sent:`, '', text, '', 'Keep this message. Thank you!'].join('\n'),
  adminManualReminder: (os, hours) => [`[admin] ${os.length} manual order(s) waiting for over ${hours} hours:`, ...os.map((o) => `• ${o.publicId} ${o.productCode ?? ''} for ${o.waId}${o.detail ? ` (${o.detail})` : ''}: .kirim ${o.publicId} TEXT`)].join('\n'),
  handSent: (id) => `Sent: ${id} is delivered.`,
  formSet: (code, form) => (form ? `${code} now asks buyers for ${form === 'email' ? 'an e-mail address' : 'a detail'}: .buy ${code} ${form === 'email' ? 'buyer@mail.com' : 'DETAIL'}` : `${code} no longer asks buyers for a detail.`),
  manualSet: (code, on) => (on ? `${code} is now delivered by hand: once paid, send it with .kirim ORDER_ID TEXT.` : `${code} is delivered from stock again.`),
  referralInfo: (r, p) => `🤝 Your referral code: *${r.code}*\nInvite friends: they send ${p}ref ${r.code} before their first purchase. You get ${r.percent}% of each of their delivered purchases.\nFriends who joined: ${r.referred} · commission: ${rp(r.earned)}`,
  referralJoined: (ref) => `🤝 You joined through ${ref}'s referral. Happy shopping!`,
  commissionPaid: (id, amount, bal) => `🤝 A referral commission of ${rp(amount)} for order ${id} is in your balance. Balance now ${rp(bal)}.`,
  commissionTakenBack: (id, taken, owed) => `Order ${id} was refunded or reversed, so its commission is taken back: ${rp(taken)} from your balance${owed > 0 ? `, ${rp(owed)} recorded as owed` : ''}.`,
  wishAdded: (code, name, days) => `🔔 OK, you will be told once when ${code} (${name}) is back (for ${days} days). Cancel: .notify ${code} off`,
  wishList: (w, p) =>
    w.length ? ['*Products you are waiting for*', ...w.map((x) => `• ${x.code} — ${clip(x.name, 60)} (until ${formatWibEn(x.expiresAt)})`), '', `Cancel: ${p}notify CODE off`].join('\n') : `You are not waiting for any product. For a sold-out one: ${p}notify CODE`,
  wishDropped: (code, dropped) => (dropped ? `OK, you will not be told about ${code}.` : `You are not waiting for ${code}.`),
  backInStock: (code, name) => `🔔 ${code} (${name}) is back! Buy: .buy ${code}`,
  confirmDropped: (c) => (c ? `Dropped: the ${c.productCode} ${c.kind === 'bill' ? 'bill' : 'top-up'} for ${shownTarget(c.target, c.targetZoneLength)} was not paid. Nothing was charged.` : 'Dropped. Nothing was charged.'),
  topupProcessing: (o) => `⏳ Payment received. Top-up ${o.publicId} (${o.productName ?? ''} to ${o.targetShown ?? ''}) is being processed by the supplier. The SN comes to this chat when it is done; if it fails, the money goes back to your balance.`,
  topupFailed: (o, why, bal) => `❌ Top-up ${o.publicId} (${o.productName ?? ''} to ${o.targetShown ?? ''}) failed: ${FAILED_WHY[why]}. ${rp(o.total)} went back to your balance. Balance now ${rp(bal)}.`,
  balanceAdjustedNotice: (amount, bal) => `Your balance ${amount >= 0 ? 'increased' : 'decreased'} by ${rp(Math.abs(amount))}. Balance now ${rp(bal)}.`,
};
