import { formatRupiah as rp } from '../domain/money.js';

import type { SettingKey } from '../app/live-settings.js';
import type { SupplierOrder } from '../app/ports.js';

/** The dashboard's words in Indonesian: top-ups, settings and WhatsApp. HTML in, HTML out (the pages escape every value). */
export const dashIdSetup = {
  topups: {
    title: 'Top-up',
    state: { queued: 'antre', pending: 'diproses pemasok', unknown: 'belum pasti (dicek ulang)', success: 'sukses', failed: 'gagal' } satisfies Record<SupplierOrder['status'], string>,
    checked: (n: number) => `${n}× dicek`,
    again: (at: string) => `lagi ${at}`,
    cost: (n: number) => `modal ${rp(n)}`,
    head: ['Pesanan', 'SKU / tujuan', 'Status', 'SN', 'Jawaban pemasok'],
    deposit: (name: string) => `Deposit ${name}`,
    belowLimit: '⚠️ di bawah batas, isi ulang',
    waiting: 'Top-up menunggu',
    priceList: 'Daftar harga',
    skus: (n: number) => `${n} SKU`,
    synced: (at: string) => `sinkron ${at}`,
    notConfigured: 'Pemasok top-up belum diatur (DIGIFLAZZ_USERNAME dan DIGIFLAZZ_API_KEY). Produk top-up tidak bisa dijual.',
    available: 'tersedia',
    cutOff: (from: string, to: string) => `cut-off ${from}–${to} WIB`,
    unavailable: 'tidak tersedia',
    notSynced: 'belum tersinkron',
    costAbove: '⚠️ modal di atas harga jual',
    once: 'sekali per nomor per hari (pembelian ulang ditolak sebelum bayar)',
    meter: 'nomor meter dicek ke pemasok sebelum bayar',
    bill: 'tagihan pascabayar: pembeli cek dengan .tagihan, lalu bayar total yang tampil dengan .ya (harga = biaya toko di atas tagihan)',
    make: 'Jadikan produk top-up',
    sku: 'SKU pemasok (- = produk stok)',
    products: 'Produk top-up',
    productHead: ['Produk', 'SKU', 'Modal', 'Harga jual', 'Keadaan'],
    none: 'Belum ada. Tulis kode produk dan SKU pemasoknya di atas (atau <code>.setsku KODE SKU</code> di chat).',
    orders: 'Pesanan ke pemasok',
  },
  settings: {
    title: 'Pengaturan',
    fields: {
      store_name: ['Nama toko', 'tampil di atas menu'],
      welcome_text: ['Teks sambutan', 'tampil di .menu'],
      contact_text: ['Kontak penjual', 'dibalas untuk .cs / .kontak (kosong = nomor admin)'],
      opening_hours: ['Jam buka', 'tampil di .info, mis. Setiap hari 08.00–22.00 WIB'],
      payment_info: ['Metode pembayaran', 'tampil di .info (kosong = saldo dan link Midtrans)'],
      payment_expiry_minutes: ['Batas waktu bayar (menit)', 'kosong = bawaan'],
      rate_limit_buy_per_min: ['Transaksi per menit per pembeli', 'kosong = bawaan'],
      rate_limit_cmd_per_min: ['Perintah per menit per pembeli', 'kosong = bawaan'],
      command_prefixes: ['Awalan perintah', 'mis. .!/ (kosong = .!/)'],
      topup_below_cost: ['Jual top-up di bawah modal', 'ya = voucher/harga role boleh membuat harga di bawah modal pemasok (rugi); kosong/tidak = ditolak sebelum bayar'],
    } satisfies Record<SettingKey, [string, string]>,
    now: (expiry: number, buys: number, cmds: number, prefixes: string) =>
      `Berlaku sekarang: bayar ${expiry} menit · ${buys} transaksi/menit · ${cmds} perintah/menit · awalan ${prefixes}`,
    saved: 'Pengaturan disimpan.',
    groups: 'Grup yang dimatikan',
    groupsHint: 'Di grup, admin menulis <code>.grup off</code> atau <code>.grup on</code>. Bot tidak menjawab di grup yang dimatikan.',
    noGroups: 'Tidak ada: bot menjawab di semua grup.',
    offSince: (at: string) => `mati sejak ${at}`,
    turnOn: 'Nyalakan lagi',
    groupOn: (chat: string) => `Bot menjawab lagi di grup ${chat}.`,
  },
  whatsapp: {
    heading: (state: string) => `WhatsApp: ${state}`,
    noPairing: 'Transport ini tidak perlu dipasangkan.',
    open: 'Tersambung.',
    loggedOut: 'Dikeluarkan oleh WhatsApp: mulai ulang kedai untuk memasangkan lagi.',
    scan: 'WhatsApp → Perangkat tertaut → Tautkan perangkat, lalu pindai:',
    code: (code: string) => `Atau masukkan kode pemasangan ini: <b>${code}</b>`,
  },
};
