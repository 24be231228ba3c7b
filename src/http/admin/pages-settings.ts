import type { FastifyInstance } from 'fastify';
import { SETTING_KEYS, updateSettings, type LiveSettings, type SettingKey } from '../../app/live-settings.js';
import type { AdminPage, Form } from './dashboard.js';
import { esc, form } from './html.js';

const FIELDS: Record<SettingKey, { label: string; hint: string; area?: boolean }> = {
  store_name: { label: 'Nama toko', hint: 'tampil di atas menu' },
  welcome_text: { label: 'Teks sambutan', hint: 'tampil di .menu', area: true },
  contact_text: { label: 'Kontak penjual', hint: 'dibalas untuk .cs / .kontak (kosong = nomor admin)', area: true },
  opening_hours: { label: 'Jam buka', hint: 'tampil di .info, mis. Setiap hari 08.00–22.00 WIB' },
  payment_info: { label: 'Metode pembayaran', hint: 'tampil di .info (kosong = saldo dan link Midtrans)', area: true },
  payment_expiry_minutes: { label: 'Batas waktu bayar (menit)', hint: 'kosong = bawaan' },
  rate_limit_buy_per_min: { label: 'Transaksi per menit per pembeli', hint: 'kosong = bawaan' },
  rate_limit_cmd_per_min: { label: 'Perintah per menit per pembeli', hint: 'kosong = bawaan' },
  command_prefixes: { label: 'Awalan perintah', hint: 'mis. .!/ (kosong = .!/)' },
};

/** Settings the seller may change without a restart; every kedai process picks them up within 30 s. */
export function registerSettingsPage(app: FastifyInstance, p: AdminPage, live: LiveSettings): void {
  app.get('/admin/settings', async (req, reply) => {
    const fields = SETTING_KEYS.map((key) => {
      const f = FIELDS[key];
      const value = esc(live.raw[key] ?? '');
      const input = f.area ? `<textarea name="${key}">${value}</textarea>` : `<input name="${key}" value="${value}">`;
      return `<label style="display:block;margin:8px 0"><b>${f.label}</b> <small>${f.hint}</small><br>${input}</label>`;
    }).join('');
    const now = `Berlaku sekarang: bayar ${live.paymentExpiryMinutes} menit · ${live.buyPerMin} transaksi/menit · ${live.cmdPerMin} perintah/menit · awalan ${esc(live.prefixes.join(' '))}`;
    return p.render(req, reply, 'Pengaturan', `<section>${form('/admin/settings', p.csrf(req), `${fields}<button>Simpan</button>`, '')}<p><small>${now}</small></p></section>`);
  });
  app.post<{ Body: Form }>('/admin/settings', async (req, reply) =>
    p.act(reply, '/admin/settings', async () => {
      await updateSettings(p.deps, Object.fromEntries(SETTING_KEYS.map((k) => [k, req.body[k] ?? ''])));
      return 'Pengaturan disimpan.';
    }),
  );
}
