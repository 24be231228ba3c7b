import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, orderIdIn, startKedai, stockProduct, type Harness } from './helpers.js';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is CommonJS with an ES-style default in its types: take the function whichever way it arrives.
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ?? jsQRModule) as unknown as Decode;

describe.each(backends)('QRIS payments on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(backend, { PAYMENT_METHOD: 'qris' });
    await stockProduct(h, 'QR1', 15_000, ['QR-GOODS-1', 'QR-GOODS-2']);
  });
  afterAll(async () => h?.stop());

  it('sends the QR as an image whose code decodes to the gateway qr_string, then delivers when paid', async () => {
    const buyer = '6287100000001';
    await h.chat(buyer, '.buynow QR1');
    const res = await fetch(`${h.url}/chat/api/messages?number=${buyer}`);
    const { messages } = (await res.json()) as { messages: { text: string; image?: string; direction: string }[] };
    const qrMessage = messages.at(-1)!;
    const orderId = orderIdIn(qrMessage.text);
    expect(qrMessage.text).toContain('Total: *Rp15.000*');
    expect(qrMessage.text).toContain('Scan QRIS');
    expect(qrMessage.image).toBe(`http://localhost:${new URL(h.url).port}/qr/${orderId}.png`);

    const tx = h.kedai.sandbox!.transactions.get(orderId)!;
    expect(tx.request).toMatchObject({ payment_type: 'qris', transaction_details: { order_id: orderId, gross_amount: 15_000 } });
    const image = await fetch(qrMessage.image!.replace('localhost', '127.0.0.1'));
    expect(image.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await image.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    const stored = await h.one<{ payment_qr: string }>(`SELECT payment_qr FROM orders WHERE public_id = $1`, [orderId]);
    expect(decoded?.data).toBe(stored.payment_qr);
    expect(stored.payment_qr).toContain(tx.token);

    await h.post(`/sandbox/midtrans/pay/${tx.token}`, { action: 'pay' });
    await h.kedai.settle();
    expect((await h.sentTo(buyer)).filter((t) => t.includes('QR-GOODS-1'))).toHaveLength(1);
    expect((await fetch(`${h.url}/qr/KD-20000101-00000000.png`)).status).toBe(404);
  });
});
