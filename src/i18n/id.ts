import type { Order, ProductWithStock } from '../app/ports.js';
import { FAILED_WHY_ID as FAILED_WHY, TOPUP_WHY_ID as TOPUP_WHY } from './topup-words.js';
import { formatRupiah as rp } from '../domain/money.js';
import { clip, formatWib, renderCatalogue, renderCatalogueList } from './format.js';
import type { Texts } from '../app/ports.js';
import { idOperator, STATUS } from './id-operator.js';

const USAGE: Record<string, string> = {
  info: 'info KODE',
  deposit: 'deposit NOMINAL (contoh: deposit 50000)',
  kirimulang: 'kirimulang ID_PESANAN',
  addproduk: 'addproduk KODE|Nama|Harga|Deskripsi|Kategori',
  setkategori: 'setkategori KODE KATEGORI (- = tanpa kategori)',
  setharga: 'setharga KODE HARGA [ROLE]',
  setjudul: 'setjudul KODE NAMA',
  setdesc: 'setdesc KODE DESKRIPSI',
  delproduk: 'delproduk KODE',
  addstok: 'addstok KODE, lalu satu item per baris di bawahnya',
  delstok: 'delstok KODE [JUMLAH]',
  addsaldo: 'addsaldo NOMOR NOMINAL',
  cekbayar: 'cekbayar [ID_PESANAN]',
  grup: 'grup on|off (di dalam grup)',
  setrole: 'setrole NOMOR ROLE (contoh: {p}setrole 6281234567890 reseller)',
  block: 'block NOMOR',
  unblock: 'unblock NOMOR',
  lepas: 'lepas NOMOR',
  rekap: 'rekap [today|7d|30d]',
  broadcast: 'broadcast PESAN',
  minsaldo: 'minsaldo NOMOR NOMINAL',
  setinfo: 'setinfo nama|sambutan|kontak|jam|bayar TEKS (- untuk mengosongkan); {p}setinfo jualrugi ya|tidak (top-up boleh di bawah modal)',
  addvoucher: 'addvoucher KODE DISKON [MAKS_PAKAI] [HARI_BERLAKU] (DISKON 10% atau 5000)',
  delvoucher: 'delvoucher KODE',
  buy: 'buy KODE [JUMLAH] [VOUCHER] (top-up: {p}buy KODE TUJUAN [VOUCHER])',
  buynow: 'buynow KODE [JUMLAH] [VOUCHER] (top-up: {p}buynow KODE TUJUAN [VOUCHER])',
  topup: 'topup KODE TUJUAN [ZONA] [VOUCHER] — hanya produk top-up (pulsa, game, token; lihat {p}produk); isi saldo: {p}deposit NOMINAL',
  setsku: 'setsku KODE SKU_SUPPLIER (- = jadi produk stok lagi)',
};


/** A product's line ending: its stock, or a top-up's state. */
const stockLabel = (x: ProductWithStock): string =>
  x.supplierSku ? (x.topup === 'ok' || x.topup === undefined ? 'top-up' : x.topup === 'cut_off' ? 'cut-off' : 'tidak tersedia') : x.available > 0 ? `stok ${x.available}` : 'HABIS';


/** ` (voucher HEMAT10 −Rp1.500)` after a discounted order's line. */
const voucherNote = (o: Order): string => (o.discount > 0 ? ` (voucher ${o.voucherCode ?? ''} −${rp(o.discount)})` : '');

export const id: Texts = {
  ...idOperator,
  menu: (p, isAdmin) =>
    [
      '*Menu*',
      `${p}produk — daftar produk`,
      `${p}info KODE — detail produk`,
      `${p}buy KODE [JUMLAH] [VOUCHER] — beli (pakai saldo bila cukup)`,
      `${p}topup KODE TUJUAN [VOUCHER] — top-up (pulsa, game, token) ke nomor/ID tujuan`,
      `${p}buynow KODE [JUMLAH] [VOUCHER] — beli lewat link pembayaran`,
      `${p}saldo — cek saldo`,
      `${p}deposit NOMINAL — isi saldo`,
      `${p}riwayat — pesanan terakhir`,
      `${p}batal — batalkan pesanan yang menunggu bayar`,
      `${p}kirimulang ID — kirim ulang barang`,
      `${p}info — info toko · ${p}cs — kontak penjual`,
      ...(isAdmin
        ? [
            '',
            '*Admin*',
            `${p}addproduk KODE|Nama|Harga|Deskripsi|Kategori`,
            `${p}setharga KODE HARGA · ${p}setjudul KODE NAMA · ${p}setdesc KODE TEKS`,
            `${p}delproduk KODE`,
            `${p}addstok KODE (item per baris) · ${p}delstok KODE [N]`,
            `${p}addsaldo NOMOR NOMINAL · ${p}minsaldo NOMOR NOMINAL`,
            `${p}cekbayar [ID] — cek ulang pembayaran ke Midtrans`,
            `${p}grup on|off — bot di grup ini`,
            `${p}setrole NOMOR ROLE · ${p}setharga KODE HARGA ROLE`,
            `${p}block NOMOR · ${p}unblock NOMOR · ${p}lepas NOMOR — boleh beli lagi setelah pembayaran dibatalkan bank`,
            `${p}rekap [today|7d|30d] · ${p}stats · ${p}performa · ${p}broadcast PESAN`,
            `${p}setinfo nama|sambutan|kontak|jam|bayar TEKS (- = kosongkan)`,
            `${p}setkategori KODE KATEGORI`,
            `${p}addvoucher KODE 10%|5000 [MAKS_PAKAI] [HARI] · ${p}delvoucher KODE · ${p}vouchers`,
            `${p}setsku KODE SKU — jadikan top-up pemasok (- = produk stok) · ${p}supplier — saldo & sinkron pemasok`,
          ]
        : []),
    ].join('\n'),
  unknownCommand: (p) => `Perintah tidak dikenal. Ketik ${p}menu untuk daftar perintah, atau ${p}produk untuk melihat produk.`,
  sendText: (p) => `Kirim perintah dalam bentuk teks ya, contoh: ${p}menu`,
  catalogue: (view, p) =>
    renderCatalogue(view, p, {
      empty: 'Belum ada produk.',
      title: '*Daftar produk*',
      none: 'Lainnya',
      line: (x) => `• ${x.code} — ${clip(x.name, 60)} — ${rp(x.price)} — ${stockLabel(x)}`,
      count: (n) => `${n} produk`,
      more: (n) => `… dan ${n} kategori lain (lihat semua: ${p}produk 1)`,
      open: `Buka kategori: ${p}produk NAMA_KATEGORI`,
      all: `Semua produk per halaman: ${p}produk 1`,
      page: (n, of) => `halaman ${n}/${of}`,
      next: (cmd) => `Halaman berikutnya: ${cmd}`,
      buy: `Beli: ${p}buy KODE [JUMLAH] · detail: ${p}info KODE`,
    }),
  storeInfo: (s, p) =>
    [
      `*${s.name || 'Info toko'}*`,
      ...(s.hours ? [`Jam buka: ${s.hours}`] : []),
      `Pembayaran: ${s.payment || `saldo (${p}deposit) atau link pembayaran Midtrans (QRIS, e-wallet, transfer bank)`}`,
      `Kontak: ketik ${p}cs`,
      '',
      `Detail produk: ${p}info KODE · daftar: ${p}produk`,
    ].join('\n'),
  contact: (s, admins) => s.contact || (admins.length ? ['Hubungi penjual:', ...admins.map((a) => `wa.me/${a}`)].join('\n') : 'Kontak penjual belum diatur.'),
  catalogueList: (view, p) =>
    renderCatalogueList(view, p, {
      none: 'Lainnya',
      title: '*Daftar produk*',
      pick: 'Ketuk tombol di bawah lalu pilih.',
      categoriesButton: 'Pilih kategori',
      productsButton: 'Lihat produk',
      page: (n, of) => `halaman ${n}/${of}`,
      count: (n) => `${n} produk`,
      stock: stockLabel,
      next: 'Halaman berikutnya',
      navigation: 'Navigasi',
    }),
  productInfo: (x, p) =>
    [
      `*${x.name}* (${x.code})`,
      `Harga: ${rp(x.price)}`,
      x.supplierSku ? `Top-up: ${x.topup === 'ok' || x.topup === undefined ? 'tersedia' : (TOPUP_WHY[x.topup ?? ''] ?? 'tidak tersedia')}` : `Stok: ${x.available > 0 ? x.available : 'habis'}`,
      ...(x.description ? ['', x.description] : []),
      '',
      x.supplierSku ? `Beli: ${p}buy ${x.code} TUJUAN` : `Beli: ${p}buy ${x.code}`,
    ].join('\n'),
  error: (code, params, p) => {
    switch (code) {
      case 'UNKNOWN_VOUCHER':
        return `Voucher "${params.code ?? ''}" tidak ditemukan. Pesanan tidak dibuat.`;
      case 'VOUCHER_EXPIRED':
        return `Voucher "${params.code ?? ''}" sudah tidak berlaku. Pesanan tidak dibuat.`;
      case 'VOUCHER_USED_UP':
        return `Maaf, kuota voucher "${params.code ?? ''}" sudah habis. Pesanan tidak dibuat; beli tanpa voucher bila mau.`;
      case 'VOUCHER_ALREADY_USED':
        return `Voucher "${params.code ?? ''}" sudah pernah kamu pakai. Pesanan tidak dibuat.`;
      case 'VOUCHER_NOT_APPLICABLE':
        return `Voucher "${params.code ?? ''}" tidak bisa dipakai untuk total ini (minimal Rp1.000 setelah diskon).`;
      case 'VOUCHER_EXISTS':
        return `Kode voucher "${params.code ?? ''}" sudah pernah dibuat.`;
      case 'UNKNOWN_CATEGORY':
        return `Kategori "${params.category ?? ''}" tidak ada. Ketik ${p}produk untuk daftar kategori.`;
      case 'NO_SUCH_PAGE':
        return `Halaman ${params.page ?? ''} tidak ada (ada ${params.pages ?? ''} halaman).`;
      case 'UNKNOWN_PRODUCT':
        return `Produk "${params.code ?? ''}" tidak ditemukan. Ketik ${p}produk untuk daftar produk.`;
      case 'PRODUCT_EXISTS':
        return `Kode produk "${params.code ?? ''}" sudah dipakai.`;
      case 'SOLD_OUT':
        return `Maaf, stok ${params.code ?? ''} habis${params.available ? ` (tersisa ${params.available})` : ''}.`;
      case 'INVALID_QTY':
        return `Jumlah harus angka 1 sampai ${params.max ?? 100}.`;
      case 'INVALID_AMOUNT':
        return 'Nominal harus angka bulat positif, contoh: 50000.';
      case 'INVALID_INPUT':
        return `Format salah. Contoh: ${p}${(USAGE[String(params.command)] ?? 'menu').replaceAll('{p}', p)}`;
      case 'INVALID_NUMBER':
        return 'Nomor WhatsApp tidak valid. Tulis angka saja, contoh: 6281234567890.';
      case 'ACCOUNT_HELD':
        return `Pembelian dari nomor ini ditahan dulu: pembayaran ${params.orderId ?? 'sebelumnya'} dibatalkan bank. Admin akan menghubungimu.`;
      case 'TRANSACTION_IN_PROGRESS':
        return `Masih ada transaksi yang berjalan${params.orderId ? ` (${params.orderId})` : ''}. Selesaikan pembayarannya atau ketik ${p}batal.`;
      case 'NO_PENDING_ORDER':
        return 'Tidak ada pesanan yang menunggu pembayaran.';
      case 'UNKNOWN_ORDER':
        return `Pesanan "${params.orderId ?? ''}" tidak ditemukan.`;
      case 'NOT_DELIVERED':
        return `Pesanan ${params.orderId ?? ''} belum terkirim, jadi belum bisa dikirim ulang.`;
      case 'INSUFFICIENT_BALANCE':
        return `Saldo tidak cukup (saldo ${rp(Number(params.balance ?? 0))}).`;
      case 'NOT_ADMIN':
        return 'Perintah ini khusus admin.';
      case 'PAYMENT_UNAVAILABLE':
        return 'Pembayaran sedang tidak bisa dibuat. Coba lagi beberapa saat lagi.';
      case 'ILLEGAL_TRANSITION':
        return 'Status pesanan sudah berubah. Cek dengan riwayat.';
      case 'MESSAGE_TOO_LONG':
        return `Pesan terlalu panjang (maksimal ${params.max ?? 4096} karakter), jadi tidak diproses.`;
      case 'BAD_CHARACTERS':
        return 'Pesan berisi karakter kontrol yang tidak didukung. Tidak ada yang diubah; ketik ulang tanpa karakter itu.';
      case 'TOPUP_UNAVAILABLE':
        return `Maaf, ${params.code ?? ''} ${TOPUP_WHY[String(params.why)] ?? 'sedang tidak tersedia'}. Tidak ada yang ditagih.`;
      case 'TOPUP_TARGET':
        return [
          `Tulis TUJUAN top-up-nya. Contoh: ${p}${params.command ?? 'buy'} ${params.code ?? 'KODE'} 081234567890`,
          'Game dengan zone: 12345678(1234) atau 12345678 1234. Voucher boleh di akhir.',
          ...(params.hint ? [String(params.hint)] : []),
          'Tidak ada yang ditagih.',
        ].join('\n');
      case 'TOPUP_REPEAT':
        return `${params.code ?? ''} ke ${params.target ?? ''} sudah dibeli hari ini (${params.orderId ?? ''}). Pemasok hanya melayaninya sekali per nomor per hari: coba besok, atau pilih nominal lain. Tidak ada yang ditagih.`;
      case 'TOPUP_BELOW_COST':
        return params.voucher
          ? `Voucher ${params.voucher} tidak bisa dipakai untuk ${params.code ?? ''}: potongannya membuat harga di bawah modal. Beli tanpa voucher: ${p}buy ${params.code ?? ''} TUJUAN. Tidak ada yang ditagih.`
          : `Maaf, ${params.code ?? ''} sedang tidak tersedia: harga jual di bawah modal pemasok. Tidak ada yang ditagih.`;
      case 'TOPUP_METER':
        return `Nomor meter PLN ${params.target ?? ''} tidak ditemukan${params.message ? ` (${params.message})` : ''}. Periksa nomor di kWh meter atau struk terakhir. Tidak ada yang ditagih.`;
      case 'UNKNOWN_SKU':
        return `SKU "${params.sku ?? ''}" tidak ada di daftar harga pemasok. Cek kodenya (buyer_sku_code) atau ketik .supplier.`;
      case 'TOPUP_OPEN':
        return `Top-up ${params.orderId ?? ''} masih diproses pemasok dan bisa saja berhasil. Tunggu jawabannya; bila 24 jam tanpa kepastian, admin diberi tahu dan baru boleh dikembalikan manual.`;
      case 'PRODUCT_HAS_STOCK':
        return `${params.code ?? ''} masih punya ${params.available ?? ''} stok. Hapus dulu dengan .delstok ${params.code ?? ''} sebelum menjadikannya top-up.`;
      case 'STALE_MESSAGE':
        return `Pesan ${p}${params.command ?? ''} ini terkirim lebih dari ${params.minutes ?? 10} menit lalu (tertunda di jaringan), jadi tidak dijalankan. Kirim ulang jika masih ingin.`;
    }
  },
  rateLimited: (kind, limit, s) =>
    kind === 'buy'
      ? `Maksimal ${limit} transaksi per menit. Coba lagi dalam ${s} detik.`
      : `Terlalu banyak pesan. Coba lagi dalam ${s} detik.`,
  systemError: () => 'Maaf, sistem sedang gangguan. Coba lagi sebentar lagi.',
  usage: (command, p) => `Format: ${p}${(USAGE[command] ?? command).replaceAll('{p}', p)}`,
  delivered: (o, items) =>
    [
      `✅ Pesanan ${o.publicId} berhasil!`,
      `${o.productName ?? ''} x${o.qty} — ${rp(o.total)}${voucherNote(o)}`,
      '',
      ...items.map((i) => i.payload),
      '',
      'Simpan pesan ini. Terima kasih!',
    ].join('\n'),
  paidByBalance: (o, left) => `Dibayar dengan saldo: ${rp(o.total)} untuk ${o.publicId}. Sisa saldo ${rp(left)}.`,
  paymentLink: (o, url) =>
    [
      `🧾 Pesanan ${o.publicId}`,
      o.kind === 'deposit' ? `Deposit saldo ${rp(o.total)}` : `${o.productName ?? ''} x${o.qty} — ${rp(o.total)}${voucherNote(o)}`,
      '',
      'Bayar di sini:',
      url,
      '',
      ...(o.expiresAt ? [`Bayar sebelum ${formatWib(o.expiresAt)}.`] : []),
      o.kind === 'deposit' ? 'Saldo masuk otomatis setelah bayar.' : 'Barang dikirim otomatis setelah bayar.',
    ].join('\n'),
  qrisPayment: (o) =>
    [
      `🧾 Pesanan ${o.publicId}`,
      o.kind === 'deposit' ? `Deposit saldo ${rp(o.total)}` : `${o.productName ?? ''} x${o.qty}${voucherNote(o)}`,
      `Total: *${rp(o.total)}*`,
      '',
      'Scan QRIS di atas dengan aplikasi e-wallet atau m-banking apa saja (GoPay, OVO, DANA, ShopeePay, BCA, …).',
      ...(o.expiresAt ? [`Bayar sebelum ${formatWib(o.expiresAt)}.`] : []),
      o.kind === 'deposit' ? 'Saldo masuk otomatis setelah bayar.' : 'Barang dikirim otomatis setelah bayar.',
    ].join('\n'),
  depositCredited: (o, bal) => `✅ Deposit ${o.publicId} ${rp(o.total)} masuk. Saldo sekarang ${rp(bal)}.`,
  balance: (amount, name) => `Saldo${name ? ` ${name}` : ''}: ${rp(amount)}`,
  history: (orders) =>
    orders.length === 0
      ? 'Belum ada pesanan.'
      : [
          '*Pesanan terakhir*',
          ...orders.map(
            (o) =>
              `• ${o.publicId} — ${o.kind === 'deposit' ? 'Deposit' : `${o.productCode ?? ''} x${o.qty}`} — ${rp(o.total)} — ${STATUS[o.status] ?? o.status}`,
          ),
        ].join('\n'),
  cancelled: (o) => `Pesanan ${o.publicId} dibatalkan.`,
  cancelTooLate: (o) =>
    `Pembayaran pesanan ${o.publicId} sudah masuk, jadi pesanan tidak dibatalkan. ${o.kind === 'deposit' ? 'Saldomu segera bertambah.' : 'Barang segera dikirim ke chat ini.'}`,
  orderClosed: (o, why) =>
    why === 'expired'
      ? `⌛ Pesanan ${o.publicId} kedaluwarsa karena belum dibayar.`
      : why === 'cancelled'
        ? `Pesanan ${o.publicId} dibatalkan.`
        : `Pembayaran pesanan ${o.publicId} gagal.`,
  paymentUnavailable: (o) => `Maaf, link pembayaran untuk ${o.publicId} gagal dibuat. Pesanan dibatalkan; coba lagi nanti.`,
  latePaymentCredited: (o, bal) =>
    `Pembayaran ${o.publicId} (${rp(o.total)}) diterima setelah pesanan ditutup dan stok sudah habis, jadi dananya masuk ke saldo. Saldo sekarang ${rp(bal)}.`,
  paymentInReview: (o) => `Pembayaran ${o.publicId} (${rp(o.total)}) sedang diperiksa oleh penyedia pembayaran. Barang dikirim begitu disetujui.`,
  paymentReversed: (o, taken, owed) =>
    `Pembayaran ${o.publicId} (${rp(o.total)}) dibatalkan oleh bank/penyedia pembayaran dan dananya kembali kepadamu.` +
    (taken > 0 ? ` Saldo ${rp(taken)} dari pesanan ini ditarik kembali.` : '') +
    (owed > 0 ? ` Masih terhutang ${rp(owed)}.` : '') +
    ' Pembelian berikutnya menunggu admin.',
  sentPrivately: () => 'Jawabannya dikirim lewat chat pribadi.',
  topupDelivered: (o, sn, msg) =>
    [
      `✅ Top-up ${o.publicId} berhasil!`,
      `${o.productName ?? ''} — ${rp(o.total)}${voucherNote(o)}`,
      `Tujuan: ${o.target ?? ''}`,
      sn !== null ? `SN: ${sn}` : `Keterangan pemasok: ${clip(msg, 200) || 'Transaksi Sukses'} (tanpa SN)`,
      '',
      'Simpan pesan ini. Terima kasih!',
    ].join('\n'),
  meterOwner: (o, name, segment) => `🔌 Meter ${o.target ?? ''} atas nama ${name}${segment ? ` (${segment})` : ''}.${o.status === 'pending' ? ' Bila bukan meter yang dimaksud, jangan dibayar: ketik .batal.' : ''}`,
  topupProcessing: (o) => `⏳ Pembayaran diterima. Top-up ${o.publicId} (${o.productName ?? ''} ke ${o.target ?? ''}) sedang diproses pemasok. SN dikirim ke chat ini begitu selesai; bila gagal, dana kembali ke saldo.`,
  topupFailed: (o, why, bal) => `❌ Top-up ${o.publicId} (${o.productName ?? ''} ke ${o.target ?? ''}) gagal: ${FAILED_WHY[why]}. Dana ${rp(o.total)} dikembalikan ke saldo. Saldo sekarang ${rp(bal)}.`,
  balanceAdjustedNotice: (amount, bal) => `Saldo kamu ${amount >= 0 ? 'bertambah' : 'berkurang'} ${rp(Math.abs(amount))}. Saldo sekarang ${rp(bal)}.`,
};
