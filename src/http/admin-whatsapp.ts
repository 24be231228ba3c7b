import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { BaileysTransport } from '../adapters/whatsapp/baileys.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** ADMIN_TOKEN as `Authorization: Bearer …` or `?token=…`, compared in constant time. */
export function hasAdminToken(req: FastifyRequest, adminToken: string | null): boolean {
  if (!adminToken) return false;
  const header = req.headers.authorization?.replace(/^Bearer\s+/i, '');
  const given = header ?? (req.query as Record<string, string | undefined>).token ?? '';
  return given.length === adminToken.length && timingSafeEqual(Buffer.from(given), Buffer.from(adminToken));
}

/**
 * `/admin/whatsapp`: the Baileys link state and, while pairing, the QR to scan.
 * The QR links a device to the store's number, so the page needs ADMIN_TOKEN.
 */
export function registerWhatsAppAdmin(app: FastifyInstance, baileys: BaileysTransport, adminToken: string | null): void {
  app.get('/admin/whatsapp', async (req, reply) => {
    if (!adminToken) return reply.code(403).type('text/plain').send('Set ADMIN_TOKEN to see this page (the QR is also printed in the terminal).');
    if (!hasAdminToken(req, adminToken)) return reply.code(401).type('text/plain').send('Unauthorized: add ?token=ADMIN_TOKEN');
    const qr = baileys.qr ? await QRCode.toDataURL(baileys.qr, { margin: 2, width: 320 }) : null;
    const body = [
      `<h1>WhatsApp: ${esc(baileys.state)}</h1>`,
      baileys.state === 'open' ? '<p>Connected.</p>' : '',
      baileys.state === 'logged_out' ? '<p>Logged out by WhatsApp: restart kedai to pair again.</p>' : '',
      qr ? `<p>WhatsApp → Linked devices → Link a device, then scan:</p><img alt="QR" src="${qr}">` : '',
      baileys.pairingCode ? `<p>Or enter this pairing code: <b>${esc(baileys.pairingCode)}</b></p>` : '',
    ].join('');
    return reply
      .type('text/html')
      .header('cache-control', 'no-store')
      .send(`<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="5"><title>kedai · WhatsApp</title><body style="font-family:system-ui;padding:16px">${body}</body>`);
  });
}
