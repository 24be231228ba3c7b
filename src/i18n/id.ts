import type { Order, ProductWithStock } from '../app/ports.js';
import { FAILED_WHY_ID as FAILED_WHY, TOPUP_WHY_ID as TOPUP_WHY } from './topup-words.js';
import { formatRupiah as rp } from '../domain/money.js';
import { shownTarget } from '../domain/topup.js';
import { billLines, clip, formatWib, renderCatalogue, renderCatalogueList } from './format.js';
import type { Texts } from '../app/ports.js';
import { refusalId, USAGE_ID } from './id-refusals.js';
import { idOperator, STATUS } from './id-operator.js';



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
      `${p}tagihan KODE NOMOR — cek tagihan (PLN pascabayar, BPJS, …), lalu ${p}ya untuk membayar`,
      `${p}notify KODE — kabari saat produk habis tersedia lagi (${p}notify: daftar)`,
      `${p}klaim ID ALASAN — klaim garansi pesanan`,
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
            `${p}setmodal KODE MODAL — modal per item, untuk laba`,
            `${p}setkategori KODE KATEGORI`,
            `${p}addvoucher KODE 10%|5000 [MAKS_PAKAI] [HARI] · ${p}delvoucher KODE · ${p}vouchers`,
            `${p}setsku KODE SKU [CADANGAN] — jadikan top-up pemasok (vip:KODE = VIP-Reseller; - = produk stok) · ${p}supplier — saldo & sinkron pemasok`,
            `${p}setcek KODE GAME — game untuk cek ID sebelum bayar · ${p}setharga KODE 0 — tagihan tanpa biaya toko`,
            `${p}setgaransi KODE HARI · ${p}ganti ID · ${p}tolak ID ALASAN — garansi & klaim`,
          ]
        : []),
    ].join('\n'),
  resumedMidway: (text, p) => `⚠️ Bot sempat berhenti saat memproses pesanmu "${clip(text, 60)}". Yang sudah terjadi tetap tercatat: cek ${p}riwayat dan ${p}saldo dulu sebelum mengirimnya lagi.`,
  unknownCommand: (p) => `Perintah tidak dikenal. Ketik ${p}menu untuk daftar perintah, atau ${p}produk untuk melihat produk.`,
  sendText: (p) => `Kirim perintah dalam bentuk teks ya, contoh: ${p}menu`,
  catalogue: (view, p) =>
    renderCatalogue(view, p, {
      empty: 'Belum ada produk.',
      title: '*Daftar produk*',
      none: 'Lainnya',
      line: (x) => `• ${x.code} — ${clip(x.name, 60)} — ${x.offer?.postpaid ? `tagihan${x.price > 0 ? ` + biaya ${rp(x.price)}` : ''}` : rp(x.price)} — ${stockLabel(x)}`,
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
      x.offer?.postpaid ? `Cek & bayar: ${p}tagihan ${x.code} NOMOR_PELANGGAN` : x.supplierSku ? `Beli: ${p}buy ${x.code} TUJUAN` : `Beli: ${p}buy ${x.code}`,
    ].join('\n'),
  error: refusalId,
  rateLimited: (kind, limit, s) =>
    kind === 'buy'
      ? `Maksimal ${limit} transaksi per menit. Coba lagi dalam ${s} detik.`
      : `Terlalu banyak pesan. Coba lagi dalam ${s} detik.`,
  systemError: () => 'Maaf, sistem sedang gangguan. Coba lagi sebentar lagi.',
  usage: (command, p) => `Format: ${p}${(USAGE_ID[command] ?? command).replaceAll('{p}', p)}`,
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
      ...(o.targetShown ? [`Tujuan: *${o.targetShown}* (periksa sebelum membayar)`] : []),
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
      ...(o.targetShown ? [`Tujuan: *${o.targetShown}*`] : []),
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
      o.soldAs?.postpaid ? `✅ Tagihan ${o.publicId} lunas!` : `✅ Top-up ${o.publicId} berhasil!`,
      `${o.productName ?? ''} — ${rp(o.total)}${voucherNote(o)}`,
      `${o.soldAs?.postpaid ? 'Nomor pelanggan' : 'Tujuan'}: ${o.targetShown ?? ''}`,
      sn !== null ? `${o.soldAs?.postpaid ? 'Referensi' : 'SN'}: ${sn}` : `Keterangan pemasok: ${clip(msg, 200) || 'Transaksi Sukses'} (tanpa SN)`,
      '',
      'Simpan pesan ini. Terima kasih!',
    ].join('\n'),
  billShown: (c, p) =>
    [
      ...billLines(c, { title: 'Tagihan', number: 'Nomor pelanggan', name: 'Nama', period: 'Periode', bill: 'Tagihan', admin: 'Biaya admin', fee: 'Biaya layanan', months: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'] }),
      '',
      `Balas *${p}ya* untuk membayar (berlaku 10 menit; dari saldo bila cukup, selain itu lewat link pembayaran). ${p}batal untuk membatalkan.`,
    ].join('\n'),
  topupConfirm: (c, p) =>
    [
      c.topup?.owner
        ? c.topup.what === 'game'
          ? `🎮 ID ${shownTarget(c.target, c.targetZoneLength)} = *${c.topup.owner}*`
          : `🔌 Meter ${c.target} atas nama *${c.topup.owner}*${c.topup.segment ? ` (${c.topup.segment})` : ''}`
        : `⚠️ ${c.topup?.what === 'game' ? 'Nama pemilik ID' : 'Nama pemilik meter'} ${shownTarget(c.target, c.targetZoneLength)} tidak bisa dicek sekarang (pemasok tidak menjawab). Pastikan nomornya benar.`,
      `${c.topup?.productName ?? c.productCode} — ${rp(c.total)}`,
      '',
      `Balas *${p}ya* untuk membayar (berlaku 10 menit). Bukan tujuan yang dimaksud? ${p}batal.`,
    ].join('\n'),
  claimOpened: (id) => `🛡️ Klaim garansi untuk ${id} diterima. Admin akan memeriksa dan membalas di chat ini.`,
  adminClaimOpened: (id, code, wa, why) => `[admin] Klaim garansi ${id} (${code}) dari ${wa}: "${clip(why, 300)}". Jawab: .ganti ${id} · .tolak ${id} ALASAN · atau refund di dashboard.`,
  replacementDelivered: (id, name) => `🔁 Pengganti garansi untuk ${id} (${name}):\n\u0000\n\nSimpan pesan ini. Terima kasih!`,
  claimRejected: (id, why) => `Klaim garansi ${id} ditolak${why ? `: ${clip(why, 300)}` : '.'} Hubungi penjual bila ada pertanyaan.`,
  claimAnswered: (id, how) => (how === 'replaced' ? `Klaim ${id}: pengganti terkirim ke pembeli.` : `Klaim ${id} ditolak; pembeli sudah diberi tahu.`),
  warrantySet: (code, days) => (days > 0 ? `${code} bergaransi ${days} hari sejak dikirim (pembeli: .klaim ID_PESANAN ALASAN).` : `${code} tanpa garansi.`),
  adminManualOrder: (o) => `[admin] Pesanan manual ${o.publicId}: ${o.productName ?? ''} ×${o.qty} untuk ${o.waId}${o.detail ? `, data: ${o.detail}` : ''}. Sudah dibayar ${rp(o.total)}. Kirim barangnya: .kirim ${o.publicId} TEKS`,
  manualPaid: (o) => `✅ Pembayaran ${o.publicId} (${o.productName ?? ''}) diterima. Pesanan ini dikirim manual oleh penjual${o.detail ? ` ke ${o.detail}` : ''}; kamu akan menerimanya di chat ini.`,
  handDelivered: (o, text) => [`📦 Pesanan ${o.publicId} (${o.productName ?? ''}) dikirim:`, '', text, '', 'Simpan pesan ini. Terima kasih!'].join('\n'),
  adminManualReminder: (os, hours) => [`[admin] ${os.length} pesanan manual menunggu lebih dari ${hours} jam:`, ...os.map((o) => `• ${o.publicId} ${o.productCode ?? ''} untuk ${o.waId}${o.detail ? ` (${o.detail})` : ''}: .kirim ${o.publicId} TEKS`)].join('\n'),
  handSent: (id) => `Terkirim: ${id} selesai.`,
  formSet: (code, form) => (form ? `${code} sekarang meminta ${form === 'email' ? 'alamat e-mail' : 'data'} pembeli: .buy ${code} ${form === 'email' ? 'email@pembeli.com' : 'DATA'}` : `${code} tidak lagi meminta data pembeli.`),
  manualSet: (code, on) => (on ? `${code} sekarang dikirim manual: setelah dibayar, kirim dengan .kirim ID_PESANAN TEKS.` : `${code} dikirim otomatis dari stok lagi.`),
  referralInfo: (r, p) => `🤝 Kode referral kamu: *${r.code}*\nAjak teman: mereka kirim ${p}ref ${r.code} sebelum belanja pertama. Kamu dapat ${r.percent}% dari setiap pembelian mereka yang terkirim.\nTeman yang bergabung: ${r.referred} · komisi: ${rp(r.earned)}`,
  referralJoined: (ref) => `🤝 Kamu bergabung lewat referral ${ref}. Selamat belanja!`,
  commissionPaid: (id, amount, bal) => `🤝 Komisi referral ${rp(amount)} dari pesanan ${id} masuk ke saldo. Saldo sekarang ${rp(bal)}.`,
  commissionTakenBack: (id, taken, owed) => `Pesanan ${id} dikembalikan/dibatalkan, jadi komisinya ditarik: ${rp(taken)} dari saldo${owed > 0 ? `, ${rp(owed)} tercatat sebagai utang` : ''}.`,
  wishAdded: (code, name, days) => `🔔 Oke, kamu akan dikabari sekali begitu ${code} (${name}) tersedia lagi (berlaku ${days} hari). Batalkan: .notify ${code} off`,
  wishList: (w, p) =>
    w.length ? ['*Produk yang kamu tunggu*', ...w.map((x) => `• ${x.code} — ${clip(x.name, 60)} (sampai ${formatWib(x.expiresAt)})`), '', `Batalkan: ${p}notify KODE off`].join('\n') : `Belum ada produk yang kamu tunggu. Untuk produk yang habis: ${p}notify KODE`,
  wishDropped: (code, dropped) => (dropped ? `Oke, kamu tidak akan dikabari soal ${code}.` : `Kamu tidak sedang menunggu ${code}.`),
  backInStock: (code, name) => `🔔 ${code} (${name}) tersedia lagi! Beli: .buy ${code}`,
  confirmDropped: (c) => (c ? `Dibatalkan: ${c.kind === 'bill' ? 'tagihan' : 'top-up'} ${c.productCode} ${shownTarget(c.target, c.targetZoneLength)} tidak dibayar. Tidak ada yang ditagih.` : 'Dibatalkan. Tidak ada yang ditagih.'),
  topupProcessing: (o) => `⏳ Pembayaran diterima. Top-up ${o.publicId} (${o.productName ?? ''} ke ${o.targetShown ?? ''}) sedang diproses pemasok. SN dikirim ke chat ini begitu selesai; bila gagal, dana kembali ke saldo.`,
  topupFailed: (o, why, bal) => `❌ Top-up ${o.publicId} (${o.productName ?? ''} ke ${o.targetShown ?? ''}) gagal: ${FAILED_WHY[why]}. Dana ${rp(o.total)} dikembalikan ke saldo. Saldo sekarang ${rp(bal)}.`,
  balanceAdjustedNotice: (amount, bal) => `Saldo kamu ${amount >= 0 ? 'bertambah' : 'berkurang'} ${rp(Math.abs(amount))}. Saldo sekarang ${rp(bal)}.`,
};
