import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatRupiah } from '../../domain/money.js';
import type { Log } from '../../app/deps.js';
import { basicAuth, notificationSignature } from './signature.js';
import { sandboxPage, SANDBOX_PAGE_SCRIPT } from './sandbox-page.js';
import { sameSecret } from '../../secret.js';

/**
 * The sandbox's server key: random per installation, made on first use and kept
 * in DATA_DIR (mode 0600), so nobody can sign notifications for it from the
 * source code. Processes sharing DATA_DIR share the key.
 */
export async function sandboxServerKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'midtrans-sandbox.key');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `SB-Mid-server-${randomBytes(24).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
  // Another process may have just created it: wait for its content.
  for (let i = 0; ; i++) {
    const key = (await readFile(file, 'utf8')).trim();
    if (key || i >= 50) {
      if (!key) throw new Error(`${file} is empty: delete it and start again`);
      return key;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A local stand-in for Midtrans that speaks its HTTP protocol: Snap create, Get
 * Status, cancel, a pay page, and signed notifications. The production adapter
 * talks to it unchanged; only the base URLs differ. State lives in memory.
 */
export interface SandboxTransaction {
  orderId: string;
  token: string;
  grossAmount: number;
  items: { id: string; name: string; price: number; quantity: number }[];
  /** null until the buyer opens the pay page: real Midtrans answers 404 to Get Status until then. */
  status: string | null;
  /** `accept` unless a test or the operator asks for `challenge`/`deny`. */
  fraudStatus?: string;
  transactionId: string;
  request: unknown;
}

const STATUS_CODE: Record<string, string> = { settlement: '200', capture: '200', cancel: '200', pending: '201', deny: '202', expire: '407' };

export class MidtransSandbox {
  readonly transactions = new Map<string, SandboxTransaction>();
  private readonly byToken = new Map<string, SandboxTransaction>();

  constructor(
    /** Tests sign notifications with it, as Midtrans does with a merchant's key. */
    readonly serverKey: string,
    private readonly publicUrl: string,
    private readonly notifyUrl: () => string,
    private readonly log: Log,
    /** The pay page's language (the store's LOCALE). */
    private readonly locale: 'id' | 'en' = 'id',
  ) {}

  /** A notification body exactly as Midtrans would POST it for the transaction's current status. */
  notification(orderId: string, status?: string): Record<string, string> {
    const tx = this.transactions.get(orderId);
    if (!tx) throw new Error(`sandbox: no transaction ${orderId}`);
    const transactionStatus = status ?? tx.status ?? 'pending';
    const statusCode = STATUS_CODE[transactionStatus] ?? '200';
    const gross = `${tx.grossAmount}.00`;
    const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
    return {
      transaction_time: now,
      transaction_status: transactionStatus,
      transaction_id: tx.transactionId,
      status_message: 'midtrans payment notification',
      status_code: statusCode,
      signature_key: notificationSignature(orderId, statusCode, gross, this.serverKey),
      ...(transactionStatus === 'settlement' ? { settlement_time: now } : {}),
      payment_type: 'qris',
      order_id: orderId,
      merchant_id: 'G000KEDAI',
      gross_amount: gross,
      fraud_status: tx.fraudStatus ?? 'accept',
      currency: 'IDR',
    };
  }

  /** Moves the transaction and POSTs the signed notification to the bot; returns the bot's HTTP status. */
  async setStatus(orderId: string, status: string, notify = true, fraudStatus?: string): Promise<number | null> {
    const tx = this.transactions.get(orderId);
    if (!tx) throw new Error(`sandbox: no transaction ${orderId}`);
    tx.status = status;
    if (fraudStatus) tx.fraudStatus = fraudStatus;
    if (!notify) return null;
    try {
      const res = await fetch(this.notifyUrl(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(this.notification(orderId)),
        signal: AbortSignal.timeout(15_000),
      });
      return res.status;
    } catch (err) {
      this.log.warn({ err, orderId }, 'sandbox: notification not delivered');
      return null;
    }
  }

  /** On its own Fastify scope: it changes how that scope reads JSON bodies. */
  register(app: FastifyInstance): void {
    // Real Midtrans takes a body-less POST (a cancel) sent with the JSON content type, as the official client sends it.
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => (body === '' ? done(null, undefined) : json(req, String(body), done)));
    app.get('/sandbox/midtrans/pay.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(SANDBOX_PAGE_SCRIPT));
    const authorised = (req: FastifyRequest, reply: FastifyReply) => {
      if (sameSecret(req.headers.authorization, basicAuth(this.serverKey))) return true;
      void reply.code(401).send({ status_code: '401', error_messages: ['Access denied due to unauthorized transaction, please check client or server key'] });
      return false;
    };
    const snapBody = z.object({
      transaction_details: z.object({ order_id: z.string().regex(/^[A-Za-z0-9_~.-]{1,50}$/), gross_amount: z.number().int().positive() }),
      item_details: z
        .array(z.object({ id: z.string(), name: z.string().max(50), price: z.number().int(), quantity: z.number().int().positive() }))
        .optional(),
    });

    app.post('/sandbox/midtrans/snap/v1/transactions', async (req, reply) => {
      if (!authorised(req, reply)) return reply;
      const parsed = snapBody.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ error_messages: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`) });
      const { transaction_details: td, item_details: items = [] } = parsed.data;
      if (items.length && items.reduce((s, i) => s + i.price * i.quantity, 0) !== td.gross_amount) {
        return reply.code(400).send({ error_messages: ['transaction_details.gross_amount is not equal to the sum of item_details'] });
      }
      const seen = this.transactions.get(td.order_id);
      if (seen && seen.status === null) {
        // As real Snap: while no payment method was chosen, a repeated create gets a new token and the old one stops working.
        this.byToken.delete(seen.token);
        seen.token = randomUUID();
        this.byToken.set(seen.token, seen);
        return reply.code(201).send({ token: seen.token, redirect_url: `${this.publicUrl}/sandbox/midtrans/snap/v4/redirection/${seen.token}` });
      }
      if (seen) return reply.code(400).send({ error_messages: ['transaction_details.order_id has already been taken'] });
      const tx: SandboxTransaction = {
        orderId: td.order_id,
        token: randomUUID(),
        grossAmount: td.gross_amount,
        items,
        status: null,
        transactionId: randomBytes(16).toString('hex'),
        request: req.body,
      };
      this.transactions.set(tx.orderId, tx);
      this.byToken.set(tx.token, tx);
      return reply.code(201).send({ token: tx.token, redirect_url: `${this.publicUrl}/sandbox/midtrans/snap/v4/redirection/${tx.token}` });
    });

    // Core API QRIS: the transaction is pending at once and its QR payload opens the pay page when "scanned".
    app.post('/sandbox/midtrans/v2/charge', async (req, reply) => {
      if (!authorised(req, reply)) return reply;
      const parsed = snapBody.extend({ payment_type: z.literal('qris') }).safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ status_code: '400', status_message: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') });
      const { transaction_details: td, item_details: items = [] } = parsed.data;
      if (this.transactions.has(td.order_id)) {
        return reply.code(200).send({ status_code: '406', status_message: 'The request could not be processed: order_id has already been taken' });
      }
      const tx: SandboxTransaction = {
        orderId: td.order_id,
        token: randomUUID(),
        grossAmount: td.gross_amount,
        items,
        status: 'pending',
        transactionId: randomBytes(16).toString('hex'),
        request: req.body,
      };
      this.transactions.set(tx.orderId, tx);
      this.byToken.set(tx.token, tx);
      const payPage = `${this.publicUrl}/sandbox/midtrans/snap/v4/redirection/${tx.token}`;
      return reply.code(200).send({
        status_code: '201',
        status_message: 'QRIS transaction is created',
        transaction_id: tx.transactionId,
        order_id: tx.orderId,
        gross_amount: `${tx.grossAmount}.00`,
        payment_type: 'qris',
        transaction_status: 'pending',
        fraud_status: 'accept',
        actions: [{ name: 'generate-qr-code', method: 'GET', url: `${payPage}?qr=1` }],
        // A real QRIS payload is an EMVCo string; the sandbox's points at its pay page so a phone camera opens it.
        qr_string: payPage,
      });
    });

    app.get<{ Params: { orderId: string } }>('/sandbox/midtrans/v2/:orderId/status', async (req, reply) => {
      if (!authorised(req, reply)) return reply;
      const tx = this.transactions.get(req.params.orderId);
      if (!tx || tx.status === null) return reply.code(404).send({ status_code: '404', status_message: "Transaction doesn't exist." });
      const { signature_key: _sig, ...status } = this.notification(tx.orderId);
      return { ...status, status_message: 'Success, transaction is found' };
    });

    app.post<{ Params: { orderId: string } }>('/sandbox/midtrans/v2/:orderId/cancel', async (req, reply) => {
      if (!authorised(req, reply)) return reply;
      const tx = this.transactions.get(req.params.orderId);
      if (!tx) return reply.code(404).send({ status_code: '404', status_message: "Transaction doesn't exist." });
      if (tx.status !== null && tx.status !== 'pending') {
        return reply.code(412).send({ status_code: '412', status_message: 'Merchant cannot modify the status of the transaction' });
      }
      tx.status = 'cancel';
      return { status_code: '200', status_message: 'Success, transaction is canceled', order_id: tx.orderId, transaction_status: 'cancel' };
    });

    app.get<{ Params: { token: string } }>('/sandbox/midtrans/snap/v4/redirection/:token', async (req, reply) => {
      const tx = this.byToken.get(req.params.token);
      if (!tx) return reply.code(404).type('text/html').send('<h1>Unknown payment</h1>');
      tx.status ??= 'pending'; // the buyer "chose QRIS": Get Status now knows the transaction
      return reply.type('text/html').send(sandboxPage({ orderId: tx.orderId, amount: formatRupiah(tx.grossAmount), items: tx.items, status: tx.status, token: tx.token }, this.locale));
    });

    app.post<{ Params: { token: string }; Body: { action?: string } }>('/sandbox/midtrans/pay/:token', async (req, reply) => {
      const tx = this.byToken.get(req.params.token);
      if (!tx) return reply.code(404).send({ error: 'unknown payment' });
      if (tx.status !== null && tx.status !== 'pending') return reply.code(409).send({ status: tx.status, error: 'already final' });
      const action = req.body?.action;
      if (action !== 'pay' && action !== 'expire') return reply.code(400).send({ error: 'action must be pay or expire' });
      const webhook = await this.setStatus(tx.orderId, action === 'pay' ? 'settlement' : 'expire');
      return { status: tx.status, webhook };
    });
  }
}
