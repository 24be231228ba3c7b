import type { Order } from '../app/ports.js';
import { formatRupiah as rp } from '../domain/money.js';
import { cutAt } from '../domain/text.js';
import { clip, discountText, formatWib, renderCatalogue, renderCatalogueList, type Texts } from './texts.js';

const STATUS: Record<string, string> = {
  pending: 'menunggu bayar',
  paid: 'dibayar',
  delivered: 'terkirim',
  expired: 'kedaluwarsa',
  cancelled: 'dibatalkan',
  failed: 'gagal',
  refunded: 'dikembalikan',
  reversed: 'dibatalkan bank',
};

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
  setrole: 'setrole NOMOR ROLE (contoh: setrole 6281234567890 reseller)',
  block: 'block NOMOR',
  unblock: 'unblock NOMOR',
  lepas: 'lepas NOMOR',
  rekap: 'rekap [today|7d|30d]',
  broadcast: 'broadcast PESAN',
  minsaldo: 'minsaldo NOMOR NOMINAL',
  setinfo: 'setinfo nama|sambutan|kontak|jam|bayar TEKS (- untuk mengosongkan)',
  addvoucher: 'addvoucher KODE DISKON [MAKS_PAKAI] [HARI_BERLAKU] (DISKON 10% atau 5000)',
  delvoucher: 'delvoucher KODE',
  buy: 'buy KODE [JUMLAH] [VOUCHER]',
  buynow: 'buynow KODE [JUMLAH] [VOUCHER]',
};

/** ` (voucher HEMAT10 −Rp1.500)` after a discounted order's line. */
const voucherNote = (o: Order): string => (o.discount > 0 ? ` (voucher ${o.voucherCode ?? ''} −${rp(o.discount)})` : '');

export const id: Texts = {
  menu: (p, isAdmin) =>
    [
      '*Menu*',
      `${p}produk — daftar produk`,
      `${p}info KODE — detail produk`,
      `${p}buy KODE [JUMLAH] [VOUCHER] — beli (pakai saldo bila cukup)`,
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
      line: (x) => `• ${x.code} — ${clip(x.name, 60)} — ${rp(x.price)} — ${x.available > 0 ? `stok ${x.available}` : 'HABIS'}`,
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
  voucherAdded: (v) =>
    `Voucher ${v.code} dibuat: potongan ${discountText(v)}, ${v.maxUses === null ? 'tanpa batas pemakaian' : `${v.maxUses}x pakai`}, ${v.expiresAt ? `berlaku sampai ${formatWib(v.expiresAt)}` : 'tanpa batas waktu'}. Pembeli: .buy KODE ${v.code}`,
  voucherDeleted: (code) => `Voucher ${code} dihapus. Pesanan yang sudah memakainya tetap dapat potongan.`,
  voucherList: (vs) =>
    vs.length === 0
      ? 'Belum ada voucher. Buat: .addvoucher KODE 10% [MAKS_PAKAI] [HARI]'
      : [
          '*Voucher*',
          ...vs.slice(0, 50).map((v) => `• ${v.code} — ${discountText(v)} — ${v.maxUses === null ? `${v.uses} terpakai` : `sisa ${v.maxUses - v.uses} dari ${v.maxUses}`}${v.expiresAt ? ` — s.d. ${formatWib(v.expiresAt)}` : ''}`),
          ...(vs.length > 50 ? [`… dan ${vs.length - 50} voucher lain`] : []),
        ].join('\n'),
  infoSaved: (key, cleared) => (cleared ? `Info "${key}" dikosongkan.` : `Info "${key}" disimpan.`),
  catalogueList: (view, p) =>
    renderCatalogueList(view, p, {
      none: 'Lainnya',
      title: '*Daftar produk*',
      pick: 'Ketuk tombol di bawah lalu pilih.',
      categoriesButton: 'Pilih kategori',
      productsButton: 'Lihat produk',
      page: (n, of) => `halaman ${n}/${of}`,
      count: (n) => `${n} produk`,
      stock: (x) => (x.available > 0 ? `stok ${x.available}` : 'HABIS'),
      next: 'Halaman berikutnya',
      navigation: 'Navigasi',
    }),
  productInfo: (x, p) =>
    [
      `*${x.name}* (${x.code})`,
      `Harga: ${rp(x.price)}`,
      `Stok: ${x.available > 0 ? x.available : 'habis'}`,
      ...(x.description ? ['', x.description] : []),
      '',
      `Beli: ${p}buy ${x.code}`,
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
        return `Format salah. Contoh: ${p}${USAGE[String(params.command)] ?? 'menu'}`;
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
      case 'STALE_MESSAGE':
        return `Pesan ${p}${params.command ?? ''} ini terkirim lebih dari ${params.minutes ?? 10} menit lalu (tertunda di jaringan), jadi tidak dijalankan. Kirim ulang jika masih ingin.`;
    }
  },
  rateLimited: (kind, limit, s) =>
    kind === 'buy'
      ? `Maksimal ${limit} transaksi per menit. Coba lagi dalam ${s} detik.`
      : `Terlalu banyak pesan. Coba lagi dalam ${s} detik.`,
  systemError: () => 'Maaf, sistem sedang gangguan. Coba lagi sebentar lagi.',
  usage: (command, p) => `Format: ${p}${USAGE[command] ?? command}`,
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
  adminLatePayment: (o, credited) =>
    `[admin] Pembayaran terlambat ${o.publicId} ${rp(o.total)} dari ${o.waId}: ${credited ? 'stok habis, dana masuk saldo pembeli' : 'barang dikirim'}.`,
  adminRefund: (o, status) =>
    `[admin] Midtrans melaporkan ${status} untuk ${o.publicId} (${rp(o.total)}, pembeli ${o.waId}). Status pesanan: ${STATUS[o.status] ?? o.status}.`,
  adminLowStock: (code, name, left) =>
    left === 0 ? `[admin] Stok ${code} (${name}) HABIS. Tambah dengan .addstok ${code}` : `[admin] Stok ${code} (${name}) tinggal ${left}. Tambah dengan .addstok ${code}`,
  adminDeadLetter: (to, n, err) => `[admin] Pesan ke ${to} gagal terkirim setelah ${n} percobaan (${cutAt(err, 120)}). Cek nomornya atau kirim ulang.`,
  adminChallenge: (o) => `[admin] Pembayaran ${o.publicId} (${rp(o.total)}) ditahan untuk ditinjau (challenge). Setujui atau tolak di dashboard Midtrans.`,
  paymentInReview: (o) => `Pembayaran ${o.publicId} (${rp(o.total)}) sedang diperiksa oleh penyedia pembayaran. Barang dikirim begitu disetujui.`,
  paymentReversed: (o, taken, owed) =>
    `Pembayaran ${o.publicId} (${rp(o.total)}) dibatalkan oleh bank/penyedia pembayaran dan dananya kembali kepadamu.` +
    (taken > 0 ? ` Saldo ${rp(taken)} dari pesanan ini ditarik kembali.` : '') +
    (owed > 0 ? ` Masih terhutang ${rp(owed)}.` : '') +
    ' Pembelian berikutnya menunggu admin.',
  adminReversal: (o, r) =>
    [
      `[admin] ⚠️ PEMBAYARAN DIBATALKAN BANK (${r.gatewayStatus}) setelah lunas: ${o.publicId}, pembeli ${o.waId}, ${rp(o.total)}, ${o.kind === 'deposit' ? 'deposit' : `${o.productCode ?? ''} x${o.qty}`}.`,
      r.items.length ? `Sudah terkirim: ${r.items.map((i) => cutAt(i, 200)).join(' | ')}` : '',
      `Saldo ditarik ${rp(r.taken)}; masih terhutang ${rp(r.owed)}. Pembelian pembeli ini ditahan sampai .lepas ${o.waId}`,
    ]
      .filter(Boolean)
      .join('\n'),
  released: (waId, was) => (was ? `${waId} boleh membeli lagi.` : `${waId} tidak sedang ditahan.`),
  roleSet: (waId, role) => `Role ${waId} sekarang ${role}.`,
  blocked: (waId, b) => (b ? `${waId} diblokir: pesannya tidak dijawab lagi.` : `${waId} tidak diblokir lagi.`),
  recap: (r) =>
    [
      `*Rekap ${({ today: 'hari ini', '7d': '7 hari', '30d': '30 hari' } as Record<string, string>)[r.period] ?? r.period}*`,
      `Pesanan terjual: ${r.orders}`,
      `Omzet: ${rp(r.revenue)}`,
      ...(r.top.length ? ['', '*Produk teratas*', ...r.top.map((t) => `• ${t.code} — ${t.qty} terjual — ${rp(t.revenue)}`)] : []),
    ].join('\n'),
  stats: (s) =>
    [
      '*Statistik toko*',
      `Pengguna: ${s.users} (aktif 24 jam: ${s.activeUsers24h})`,
      `Produk aktif: ${s.products} · stok tersedia: ${s.availableItems}`,
      `Pesanan menunggu bayar: ${s.pendingOrders}`,
      `Total saldo pembeli: ${rp(s.balances)}`,
    ].join('\n'),
  broadcastQueued: (n) => `Broadcast dijadwalkan ke ${n} pembeli yang menulis dalam 24 jam terakhir.`,
  performa: (r) =>
    [
      '*Performa*',
      `Aktif: ${Math.floor(r.uptimeSeconds / 3600)} jam ${Math.floor((r.uptimeSeconds % 3600) / 60)} menit · memori ${r.rssMb} MB (heap ${r.heapMb} MB)`,
      `Pesan masuk: ${r.messages} · p95 respons: ${r.p95ms ?? '—'} ms`,
      `Cache hit: ${r.cacheHitRatio === null ? '—' : `${Math.round(r.cacheHitRatio * 100)}%`} · lock bentrok: ${r.lockContention === null ? '—' : `${Math.round(r.lockContention * 100)}%`} · dibatasi: ${r.rateLimited}`,
      `Database: ${r.dbMs === null ? 'MATI' : `${r.dbMs} ms`} · Redis: ${typeof r.redis === 'number' ? `${r.redis} ms` : r.redis === 'off' ? 'tidak dipakai' : 'MATI'}`,
      `Antrean pesan keluar: ${r.outboxBacklog ?? '—'}`,
      ...(r.sendingPaused ? [`⚠️ Kirim ke WhatsApp DIJEDA sejak ${formatWib(r.sendingPaused.since)}: ${r.sendingPaused.reason}. Cek token akses dan izin; lanjut sendiri begitu token berfungsi.`] : []),
    ].join('\n'),
  groupSwitched: (on) => (on ? 'Bot aktif di grup ini.' : 'Bot dimatikan di grup ini. Admin bisa menyalakan lagi dengan .grup on'),
  recheck: (results) =>
    results.length === 0
      ? 'Tidak ada pesanan yang menunggu pembayaran.'
      : [
          `Dicek ke Midtrans: ${results.length} pesanan`,
          ...results.map(
            (r) =>
              `• ${r.orderId}: ${({ paid: 'dibayar → diproses', expired_here: 'kedaluwarsa', still_pending: 'masih menunggu', error: 'gagal dicek' } as Record<string, string>)[r.result] ?? r.result}`,
          ),
        ].join('\n'),
  productSaved: (code, what) =>
    ({
      added: `Produk ${code} ditambahkan. Tambah stok: addstok ${code}`,
      price: `Harga ${code} diperbarui.`,
      name: `Nama ${code} diperbarui.`,
      description: `Deskripsi ${code} diperbarui.`,
      category: `Kategori ${code} diperbarui.`,
      deactivated: `Produk ${code} dinonaktifkan.`,
    })[what],
  stockAdded: (code, added, available, skipped) =>
    `${added} stok ditambahkan ke ${code}. Tersedia: ${available}.${skipped ? ` ${skipped} baris dilewati: item yang sama sudah dijual atau tertulis dua kali.` : ''}`,
  stockRemoved: (code, removed) => `${removed} stok ${code} dihapus.`,
  balanceAdjusted: (waId, amount, bal, newNumber) =>
    `Saldo ${waId} ${amount >= 0 ? '+' : ''}${rp(amount)}. Saldo sekarang ${rp(bal)}.${newNumber ? ' Catatan: nomor ini belum pernah menghubungi toko; periksa lagi nomornya.' : ''}`,
  sentPrivately: () => 'Jawabannya dikirim lewat chat pribadi.',
  balanceAdjustedNotice: (amount, bal) => `Saldo kamu ${amount >= 0 ? 'bertambah' : 'berkurang'} ${rp(Math.abs(amount))}. Saldo sekarang ${rp(bal)}.`,
};
