import { formatRupiah as rp } from '../domain/money.js';

/** The dashboard's words in Indonesian: referral, back-in-stock wishes, and a product's selling options. */
export const dashIdSelling = {
  selling: {
    title: 'Referral dan stok kembali',
    referral: 'Referral',
    percent: (p: number) => (p > 0 ? `Komisi ${p}% dari setiap pembelian terkirim pembeli yang diajak (REFERRAL_PERCENT).` : 'Referral mati (REFERRAL_PERCENT=0): kode tidak dibagikan dan tidak ada komisi.'),
    referrers: 'Pengajak',
    referrersHead: ['Pembeli', 'Kode', 'Diajak', 'Sudah beli', 'Komisi bersih', 'Terutang'],
    noReferrers: 'Belum ada pembeli yang mengajak.',
    joined: 'Pembeli yang diajak (terbaru)',
    joinedHead: ['Pembeli', 'Diajak oleh', 'Sejak'],
    commissions: 'Komisi terbaru',
    commissionsHead: ['Pesanan', 'Pengajak', 'Pembeli', 'Komisi', 'Status', 'Waktu'],
    noCommissions: 'Belum ada komisi.',
    takenBack: (n: number, owed: number) => `ditarik ${rp(n)}${owed > 0 ? `, terutang ${rp(owed)}` : ''}`,
    paid: 'dibayar',
    restock: 'Stok kembali (.kabari)',
    waiting: 'Produk yang ditunggu',
    waitingHead: ['Produk', 'Pembeli menunggu'],
    noWaiting: 'Tidak ada pembeli yang menunggu stok.',
    notices: (sent: number, skipped: number, queued: number) =>
      `Pemberitahuan 30 hari terakhir: <b>${sent}</b> terkirim, <b data-restock-skipped>${skipped}</b> dilewati (di luar 24 jam WhatsApp tanpa template, atau ditolak), ${queued} dalam antrean.`,
  },
  handling: {
    detail: 'Data dari pembeli',
    deliverTitle: 'Kirim manual',
    deliverHint: (detail: string | null) => `Pesanan ini dibayar dan menunggu kamu${detail ? ` (data pembeli: <b>${detail}</b>)` : ''}. Teks di bawah dikirim ke pembeli sebagai barangnya dan disimpan (sama dengan <code>.kirim</code>).`,
    deliverPlaceholder: 'Barang untuk pembeli: akun, kode, tautan undangan …',
    deliver: 'Kirim ke pembeli',
    delivered: (id: string) => `${id} terkirim ke pembeli.`,
    deliveredTitle: 'Dikirim manual',
    summary: 'Cara jual',
    form: 'Data dari pembeli',
    formNone: 'tidak ada',
    formEmail: 'e-mail',
    formText: 'teks bebas',
    manual: 'dikirim manual oleh admin',
    warranty: 'Garansi (hari, 0 = tanpa)',
    saved: (code: string) => `Cara jual ${code} disimpan.`,
    facts: (form: string | null, byHand: boolean, days: number) =>
      [form ? `minta ${form === 'email' ? 'e-mail' : 'teks'}` : '', byHand ? 'kirim manual' : '', days > 0 ? `garansi ${days} hari` : ''].filter(Boolean).join(' · '),
  },
};
