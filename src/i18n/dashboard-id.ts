import { STATUS } from './id-operator.js';
import { formatWibLong } from './format.js';

/**
 * The dashboard's words in Indonesian (the store's default). Functions return
 * HTML: the pages pass every value already escaped, so nothing here escapes.
 */
export const dashId = {
  lang: 'id',
  /** `30 Nov 2026, 08.05 WIB`. */
  when: (d: Date): string => formatWibLong(d),
  nav: {
    '/admin': 'Ringkasan',
    '/admin/products': 'Produk',
    '/admin/categories': 'Kategori',
    '/admin/stock': 'Stok',
    '/admin/topups': 'Top-up',
    '/admin/vouchers': 'Voucher',
    '/admin/selling': 'Referral',
    '/admin/claims': 'Klaim',
    '/admin/orders': 'Pesanan',
    '/admin/buyers': 'Pembeli',
    '/admin/broadcast': 'Broadcast',
    '/admin/reports': 'Laporan',
    '/admin/settings': 'Pengaturan',
    '/admin/whatsapp': 'WhatsApp',
    '/admin/system': 'Sistem',
  },
  common: {
    logout: 'Keluar',
    save: 'Simpan',
    add: 'Tambah',
    search: 'Cari',
    prev: '← Sebelumnya',
    next: 'Berikutnya →',
    page: (n: number, of?: number) => `halaman ${n}${of ? ` dari ${of}` : ''}`,
    product: 'produk',
    noSales: 'Belum ada penjualan.',
    noToken: 'Isi <code>ADMIN_TOKEN</code> untuk memakai dasbor.',
    dashboard: 'Dasbor',
    refused: 'Ditolak',
    badInput: 'Isian berisi karakter yang tidak didukung (karakter NUL). Tidak ada yang diubah; ketik ulang.',
    csrf: 'Formulir kedaluwarsa atau tidak sah (CSRF). Muat ulang halaman.',
  },
  login: { title: 'Masuk', heading: 'Masuk ke dasbor', button: 'Masuk', tooMany: 'Terlalu banyak percobaan. Coba lagi 15 menit lagi.', wrong: 'Token salah.' },
  status: STATUS,
  chart: {
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
    /** `1,2 jt`, `350 rb`: short amounts over the bars. */
    short: (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1).replace('.', ',')} jt` : n >= 1_000 ? `${Math.round(n / 1_000)} rb` : String(n)),
    max: 'maks',
    total: 'total',
    revenue: 'Omzet per hari, 30 hari',
    orders: 'Pesanan per hari, 30 hari',
    ordersUnit: (n: number) => `${n} pesanan`,
    top: 'Produk teratas, 30 hari',
    topCaption: 'Produk teratas, 30 hari: omzet dan jumlah terjual',
    sold: (n: number) => `${n} terjual`,
  },
};
