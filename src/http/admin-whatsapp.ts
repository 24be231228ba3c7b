import QRCode from 'qrcode';
import type { BaileysTransport } from '../adapters/whatsapp/baileys.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The body of `/admin/whatsapp` (served by the dashboard, behind its login; to
 * pair from a phone, log in on the phone: a token in a URL ends up in logs and history): the transport and, with Baileys, the link state and,
 * while pairing, the QR to scan (it links a device to the store's number).
 */
export async function whatsappStatus(transport: string, baileys: BaileysTransport | null): Promise<string> {
  if (!baileys) return `<section><h1>WhatsApp: ${esc(transport)}</h1><p>No pairing needed with this transport.</p></section>`;
  const qr = baileys.qr ? await QRCode.toDataURL(baileys.qr, { margin: 2, width: 320 }) : null;
  return [
    '<meta http-equiv="refresh" content="5"><section>',
    `<h1>WhatsApp: ${esc(baileys.state)}</h1>`,
    baileys.state === 'open' ? '<p>Connected.</p>' : '',
    baileys.state === 'logged_out' ? '<p>Logged out by WhatsApp: restart kedai to pair again.</p>' : '',
    qr ? `<p>WhatsApp → Linked devices → Link a device, then scan:</p><img alt="QR" src="${qr}">` : '',
    baileys.pairingCode ? `<p>Or enter this pairing code: <b>${esc(baileys.pairingCode)}</b></p>` : '',
    '</section>',
  ].join('');
}
