import { formatRupiah as rp } from '../domain/money.js';
import { cutAt } from '../domain/text.js';
import { discountText, formatWibEn } from './format.js';
import type { Texts } from '../app/ports.js';



/** What the store's operators read: admin replies and notices. */
export const enOperator = {
  voucherAdded: (v) =>
    `Voucher ${v.code} created: ${discountText(v)} off, ${v.maxUses === null ? 'unlimited uses' : `${v.maxUses} uses`}, ${v.expiresAt ? `valid until ${formatWibEn(v.expiresAt)}` : 'no expiry'}. Buyers: .buy CODE ${v.code}`,
  voucherDeleted: (code) => `Voucher ${code} deleted. Orders that used it keep their discount.`,
  voucherList: (vs) =>
    vs.length === 0
      ? 'No vouchers yet. Create one: .addvoucher CODE 10% [MAX_USES] [DAYS]'
      : [
          '*Vouchers*',
          ...vs.slice(0, 50).map((v) => `• ${v.code} — ${discountText(v)} — ${v.maxUses === null ? `${v.uses} used` : `${v.maxUses - v.uses} of ${v.maxUses} left`}${v.expiresAt ? ` — until ${formatWibEn(v.expiresAt)}` : ''}`),
          ...(vs.length > 50 ? [`… and ${vs.length - 50} more`] : []),
        ].join('\n'),
  infoSaved: (key, cleared) => (cleared ? `Info "${key}" cleared.` : `Info "${key}" saved.`),
  adminLatePayment: (o, credited) =>
    `[admin] Late payment ${o.publicId} ${rp(o.total)} from ${o.waId}: ${credited ? 'out of stock, credited to the buyer balance' : 'goods delivered'}.`,
  adminRefund: (o, status) => `[admin] Midtrans reports ${status} for ${o.publicId} (${rp(o.total)}, buyer ${o.waId}). Order status: ${o.status}.`,
  adminLowStock: (code, name, left) =>
    left === 0 ? `[admin] ${code} (${name}) is SOLD OUT. Restock with .addstok ${code}` : `[admin] Only ${left} of ${code} (${name}) left. Restock with .addstok ${code}`,
  adminDeadLetter: (to, n, err) => `[admin] A message to ${to} failed after ${n} attempts (${cutAt(err, 120)}). Check the number or resend.`,
  adminChallenge: (o) => `[admin] Payment for ${o.publicId} (${rp(o.total)}) is held for review (challenge). Accept or deny it in the Midtrans dashboard.`,
  adminReversal: (o, r) =>
    [
      `[admin] ⚠️ PAYMENT REVERSED BY THE BANK (${r.gatewayStatus}) after settlement: ${o.publicId}, buyer ${o.waId}, ${rp(o.total)}, ${o.kind === 'deposit' ? 'top-up' : `${o.productCode ?? ''} x${o.qty}`}.`,
      r.items.length ? `Already delivered: ${r.items.map((i) => cutAt(i, 200)).join(' | ')}` : '',
      r.topup
        ? r.topup.status === 'success'
          ? `The top-up to ${o.targetShown ?? ''} already SUCCEEDED at the supplier (SN ${r.topup.sn ?? '-'}): the goods arrived and its cost is spent.`
          : r.topup.status === 'failed'
            ? `The top-up to ${o.targetShown ?? ''} failed at the supplier: nothing was delivered.`
            : `The top-up to ${o.targetShown ?? ''} is still with the supplier and cannot be cancelled there: it may still succeed (its cost spent). kedai tells you how it ends; the SN is not sent to the buyer.`
        : '',
      `Balance taken back ${rp(r.taken)} (nothing was returned to the balance); still owed ${rp(r.owed)}. This buyer's purchases are on hold until .lepas ${o.waId}`,
    ]
      .filter(Boolean)
      .join('\n'),
  released: (waId, was) => (was ? `${waId} may buy again.` : `${waId} is not on hold.`),
  roleSet: (waId, role) => `${waId} now has the role ${role}.`,
  blocked: (waId, b) => (b ? `${waId} is blocked: their messages get no answer.` : `${waId} is no longer blocked.`),
  recap: (r) =>
    [
      `*Recap ${({ today: 'today', '7d': '7 days', '30d': '30 days' } as Record<string, string>)[r.period] ?? r.period}*`,
      `Orders sold: ${r.orders}`,
      `Revenue: ${rp(r.revenue)}`,
      ...(r.commissions?.count ? [`Referral commissions: ${r.commissions.count} orders · ${rp(r.commissions.amount)}`] : []),
      ...(r.top.length ? ['', '*Top products*', ...r.top.map((t) => `• ${t.code} — ${t.qty} sold — ${rp(t.revenue)}`)] : []),
    ].join('\n'),
  stats: (s) =>
    [
      '*Store stats*',
      `Users: ${s.users} (active 24 h: ${s.activeUsers24h})`,
      `Active products: ${s.products} · items available: ${s.availableItems}`,
      `Orders awaiting payment: ${s.pendingOrders}`,
      `Buyers' balances: ${rp(s.balances)}`,
    ].join('\n'),
  broadcastQueued: (n) => `Broadcast queued to ${n} buyers who wrote within the last 24 hours.`,
  performa: (r) =>
    [
      '*Performance*',
      `Up: ${Math.floor(r.uptimeSeconds / 3600)} h ${Math.floor((r.uptimeSeconds % 3600) / 60)} min · memory ${r.rssMb} MB (heap ${r.heapMb} MB)`,
      `Messages in: ${r.messages} · p95 response: ${r.p95ms ?? '—'} ms`,
      `Cache hit: ${r.cacheHitRatio === null ? '—' : `${Math.round(r.cacheHitRatio * 100)}%`} · lock contention: ${r.lockContention === null ? '—' : `${Math.round(r.lockContention * 100)}%`} · rate-limited: ${r.rateLimited}`,
      `Database: ${r.dbMs === null ? 'DOWN' : `${r.dbMs} ms`} · Redis: ${typeof r.redis === 'number' ? `${r.redis} ms` : r.redis === 'off' ? 'not used' : 'DOWN'}`,
      `Outbox backlog: ${r.outboxBacklog ?? '—'}`,
      ...(r.supplier
        ? [`Supplier deposit: ${r.supplier.balance === null ? 'unknown' : rp(r.supplier.balance)}${r.supplier.low ? ' ⚠️ LOW, top it up' : ''} · top-ups waiting: ${r.supplier.pendingTopups}`]
        : []),
      ...(r.sendingPaused ? [`⚠️ Sending to WhatsApp PAUSED since ${formatWibEn(r.sendingPaused.since)}: ${r.sendingPaused.reason}. Check the access token and permissions; it resumes by itself once the token works.`] : []),
    ].join('\n'),
  groupSwitched: (on) => (on ? 'The bot is on in this group.' : 'The bot is off in this group. An admin can turn it on with .grup on'),
  recheck: (results) =>
    results.length === 0
      ? 'No orders awaiting payment.'
      : [
          `Checked with Midtrans: ${results.length} orders`,
          ...results.map(
            (r) =>
              `• ${r.orderId}: ${({ paid: 'paid → processing', expired_here: 'expired', still_pending: 'still pending', error: 'check failed' } as Record<string, string>)[r.result] ?? r.result}`,
          ),
        ].join('\n'),
  costSaved: (code, cost) => (cost === null ? `The cost of ${code} is cleared: its profit is no longer counted.` : `The cost of ${code} is now ${rp(cost)}. Profit is counted for orders from now on (Reports and Overview on the dashboard).`),
  priceSaved: (code, price, role) => (role ? `The price of ${code} for the ${role} role is now ${rp(price)}.` : `The price of ${code} is now ${rp(price)}.`),
  productSaved: (code, what, prefix = '.') =>
    ({
      added: `Product ${code} added. Add stock with: ${prefix}addstok ${code}, then one item per line.`,
      name: `Name of ${code} updated.`,
      description: `Description of ${code} updated.`,
      category: `Category of ${code} updated.`,
      deactivated: `Product ${code} deactivated.`,
    })[what],
  stockAdded: (code, added, available, skipped) =>
    `${added} items added to ${code}. Available: ${available}.${skipped ? ` ${skipped} lines skipped: the same item is already on sale or was listed twice.` : ''}`,
  stockRemoved: (code, removed) => `${removed} items of ${code} removed.`,
  balanceAdjusted: (waId, amount, bal, newNumber) =>
    `Balance of ${waId} ${amount >= 0 ? '+' : ''}${rp(amount)}. Now ${rp(bal)}.${newNumber ? ' Note: this number has not written to the store yet; check it.' : ''}`,
  adminTopupFailed: (o, rc, msg) =>
    `[admin] Top-up ${o.publicId} (${o.productCode ?? ''} to ${o.targetShown ?? ''}) refused by the supplier because of the store's account: rc ${rc} "${cutAt(msg, 160)}". The buyer's money is back in their balance. Check the deposit, the IP whitelist or the API key at Digiflazz.`,
  adminTopupStuck: (o, so) =>
    `[admin] Top-up ${o.publicId} (${o.productCode ?? ''} to ${o.targetShown ?? ''}, ${rp(o.total)}, buyer ${o.waId}) has no final answer from the supplier since ${formatWibEn(so.createdAt)} (status ${so.status}, checked ${so.attempts}x). Check the Digiflazz panel; kedai keeps checking${so.nextCheckAt ? '' : ' (stopped: past the 90-day limit)'}.`,
  adminTopupConflict: (o, was, reply) =>
    `[admin] ⚠️ The supplier now reports ${reply.outcome === 'success' ? 'SUCCESS' : 'FAILURE'} (rc ${reply.rc ?? '-'} "${cutAt(reply.message, 120)}") for top-up ${o.publicId}, which was already ${was === 'success' ? 'delivered' : was === 'failed' ? 'failed and refunded' : 'refunded to the balance'} (buyer ${o.waId}, ${rp(o.total)}). kedai changed nothing; you decide.`,
  adminTopupAfterReversal: (o, reply) =>
    reply.outcome === 'success'
      ? `[admin] ⚠️ The supplier SUCCEEDED on top-up ${o.publicId} (${o.productCode ?? ''} to ${o.targetShown ?? ''}, SN ${reply.sn ?? '-'}) whose payment the bank reversed: the goods arrived and the cost is spent; buyer ${o.waId} still owes ${rp(o.owed)}. The SN was not sent to the buyer; you decide.`
      : `[admin] The supplier FAILED top-up ${o.publicId} (${o.productCode ?? ''} to ${o.targetShown ?? ''}) whose payment the bank reversed: nothing was delivered and nothing spent. The ${rp(o.owed)} recorded as owed for this order can be forgiven: .lepas ${o.waId} if that fits.`,
  adminRecheckRefused: (o, reply) =>
    `[admin] ⚠️ The supplier refused the status check of top-up ${o.publicId} because of the store's account: rc ${reply.rc ?? '-'} "${cutAt(reply.message, 160)}". The transaction goes on at the supplier, so nothing was refunded; kedai keeps checking. Check the IP whitelist, the API key or the deposit at Digiflazz.`,
  adminUnknownRc: (o, reply) =>
    `[admin] The supplier answered with an rc kedai does not know: ${reply.rc ?? '-'} ("${cutAt(reply.message, 160)}", status ${reply.outcome === 'success' ? 'Sukses' : reply.outcome === 'failed' ? 'Gagal' : 'Pending'}) for top-up ${o.publicId}. kedai followed its status. You hear of this rc once.`,
  adminCostRisen: (code, name, cost, price) =>
    `[admin] The supplier's price of ${code} (${name}) rose to ${rp(cost)}, above your selling price ${rp(price)}. Orders will fail (and be refunded) until you raise it: .setharga ${code} PRICE`,
  adminSupplierLow: (bal, low) => `[admin] The supplier deposit is down to ${rp(bal)} (alert below ${rp(low)}). Top up your Digiflazz deposit so top-ups do not fail.`,
  skuSet: (r) =>
    r.sku === null
      ? `${r.code} is a stock product again (fill it with .addstok ${r.code}).`
      : r.postpaid
        ? `${r.code} is now a bill through SKU ${r.sku}; its price is the store fee on top of the bill. Buyers check it with .tagihan ${r.code} CUSTOMER_NUMBER`
        : `${r.code} is now a top-up through SKU ${r.sku} (cost ${rp(r.cost ?? 0)})${r.backup ? `, backup ${r.backup} when the first supplier fails` : ''}. On sale now: .buy ${r.code} TARGET`,
  checkGameSet: (code, game) => (game ? `IDs for ${code} are now checked in the game "${game}" before payment.` : `IDs for ${code} are checked in the game the supplier names.`),
  supplierStatus: (s) =>
    [
      `*Supplier: ${s.name}*`,
      `Deposit: ${s.live !== null ? rp(s.live) : s.balance !== null ? `${rp(s.balance)} (as of ${s.balanceAt ? formatWibEn(s.balanceAt) : '-'})` : 'unknown'}`,
      `Price list: ${s.skus} SKUs, synced ${s.syncedAt ? formatWibEn(s.syncedAt) : 'never'}${s.syncError ? ` — last error: ${cutAt(s.syncError, 120)}` : ''}`,
      `Top-ups waiting for the supplier: ${s.open}`,
    ].join('\n'),
} satisfies Partial<Texts>;
