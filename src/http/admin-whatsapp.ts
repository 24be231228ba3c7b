import type { BaileysTransport } from '../adapters/whatsapp/baileys.js';
import type { DashTexts } from '../i18n/dashboard.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The body of `/admin/whatsapp` (served by the dashboard, behind its login; to
 * pair from a phone, log in on the phone: a token in a URL ends up in logs and history): the transport and, with Baileys, the link state and,
 * while pairing, the QR to scan (it links a device to the store's number).
 */
export async function whatsappStatus(t: DashTexts, transport: string, baileys: BaileysTransport | null): Promise<string> {
  if (!baileys) return `<section><h1>${t.whatsapp.heading(esc(transport))}</h1><p>${t.whatsapp.noPairing}</p></section>`;
  const qr = baileys.qr ? await (await import('qrcode')).default.toDataURL(baileys.qr, { margin: 2, width: 320 }) : null;
  return [
    '<meta http-equiv="refresh" content="5"><section>',
    `<h1>${t.whatsapp.heading(esc(baileys.state))}</h1>`,
    baileys.state === 'open' ? `<p>${t.whatsapp.open}</p>` : '',
    baileys.state === 'logged_out' ? `<p>${t.whatsapp.loggedOut}</p>` : '',
    qr ? `<p>${t.whatsapp.scan}</p><img alt="QR" src="${qr}">` : '',
    baileys.pairingCode ? `<p>${t.whatsapp.code(esc(baileys.pairingCode))}</p>` : '',
    '</section>',
  ].join('');
}
