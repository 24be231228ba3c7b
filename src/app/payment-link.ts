import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { closePending } from './order-lifecycle.js';
import { lockPending } from './order-moves.js';
import type { Order } from './ports.js';

/** Where the QR image of an order is served (rendered from its QRIS payload by the HTTP edge). */
export const qrImageUrl = (deps: AppDeps, publicId: string): string => `${deps.settings.publicUrl}/qr/${publicId}.png`;

/**
 * Asks the gateway for a payment link for a committed pending
 * order and queues the message carrying it. When the gateway cannot give one,
 * compensates: the order fails and its reserved items go back on sale.
 */
export async function sendPaymentLink(deps: AppDeps, order: Order, customerName: string): Promise<Order> {
  const { store, gateway, texts, log } = deps;
  try {
    const request = {
      orderId: order.publicId,
      amount: order.total,
      items: [
        order.kind === 'deposit'
          ? { id: 'DEPOSIT', name: 'Deposit saldo', price: order.total, quantity: 1 }
          : { id: order.productCode ?? 'ITEM', name: order.productName ?? 'Item', price: order.unitPrice, quantity: order.qty },
        // A voucher is a line of its own with a negative price, so the items still sum to gross_amount.
        ...(order.discount > 0 ? [{ id: `VOUCHER-${order.voucherCode ?? ''}`, name: `Voucher ${order.voucherCode ?? ''}`, price: -order.discount, quantity: 1 }] : []),
      ],
      customer: { name: customerName, phone: order.waId },
      expiryMinutes: deps.settings.paymentExpiryMinutes,
      startTime: deps.clock.now(),
    };
    if (deps.settings.paymentMethod === 'qris') {
      const charge = await gateway.createQris(request);
      const charged = { ...order, paymentQr: charge.qrString };
      await store.transaction(async (r) => {
        await r.orders.setPaymentQr(order.orderId, charge.qrString, charge.transactionId);
        await r.outbox.enqueue({
          to: order.waId,
          text: texts.qrisPayment(charged),
          image: qrImageUrl(deps, order.publicId),
          kind: 'payment_link',
          orderId: order.orderId,
        });
      });
      return charged;
    }
    const link = await gateway.createLink(request);
    const linked = { ...order, paymentUrl: link.url };
    await store.transaction(async (r) => {
      await r.orders.setPaymentLink(order.orderId, link.url, link.token);
      await r.outbox.enqueue({ to: order.waId, text: texts.paymentLink(linked, link.url), kind: 'payment_link', orderId: order.orderId });
    });
    return linked;
  } catch (err) {
    log.warn({ err, orderId: order.publicId }, 'payment link not created; rolling the order back');
    await store.transaction(async (r) => {
      // A notification may have moved it meanwhile; then it is no longer ours to undo.
      const current = await lockPending(r, order.publicId);
      if (current) await closePending(deps, r, current, 'failed', false);
    });
    // If an attempt did create the transaction, make sure nobody can pay it now (best effort,
    // in the background: a payment that still arrives is honoured as a late payment).
    void gateway.cancel(order.publicId).catch((cancelErr: unknown) => log.debug({ err: cancelErr, orderId: order.publicId }, 'cancel after failure'));
    throw new DomainError('PAYMENT_UNAVAILABLE');
  }
}
