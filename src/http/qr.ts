import type { FastifyInstance } from 'fastify';
import type { Store } from '../app/ports.js';

/**
 * `GET /qr/KD-….png`: the QRIS code of a pending order, rendered from the
 * payload the gateway returned, for the image message buyers scan. Order ids
 * carry 32 random bits; the image only lets someone pay that order. The QR library is
 * loaded on the first image (a store without QRIS never needs it).
 */
export function registerQrImages(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { file: string } }>('/qr/:file', async (req, reply) => {
    const match = /^(KD-\d{8}-[0-9A-F]{8})\.png$/.exec(req.params.file);
    const order = match ? await store.autocommit.orders.findByPublicId(match[1]!) : null;
    if (!order?.paymentQr) return reply.code(404).send({ error: 'no such QR code' });
    const { default: QRCode } = await import('qrcode');
    const png = await QRCode.toBuffer(order.paymentQr, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 384 });
    return reply.type('image/png').header('cache-control', 'private, max-age=900').send(png);
  });
}
