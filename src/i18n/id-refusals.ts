import { formatRupiah as rp, MAX_AMOUNT } from '../domain/money.js';
import type { Texts } from '../app/ports.js';
import { TOPUP_WHY_ID as TOPUP_WHY } from './topup-words.js';

/* The refusals in Indonesian: why a command changed nothing, and how to write it. Each says that nothing was charged or changed where it matters. */

/** Why a destination cannot be one for a product of its kind (after the destination the buyer wrote). */
const KIND_ID: Record<string, string> = {
  phone: 'bukan nomor HP yang valid: 10–13 angka, diawali 08 dari operator Indonesia (contoh 081234567890)',
  meter: 'bukan nomor meter/ID pelanggan PLN: 11 atau 12 angka, tanpa spasi',
  game: 'bukan ID game yang valid: 4–16 angka, zone boleh ditulis 12345678(1234)',
  bill: 'bukan nomor pelanggan yang valid: 4–30 angka',
};

/** How each command is written (`{p}` stands for the buyer's prefix), keyed by its first name in the command table. */
export const USAGE_ID: Record<string, string> = {
  info: 'info KODE',
  deposit: 'deposit NOMINAL (contoh: deposit 50000)',
  kirimulang: 'kirimulang ID_PESANAN',
  addproduk: 'addproduk KODE|Nama|Harga|Deskripsi|Kategori',
  setmodal: 'setmodal KODE MODAL (harga beli per item; - = tidak diketahui)',
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
  setsku: 'setsku KODE SKU_SUPPLIER [SKU_CADANGAN] (mis. {p}setsku XL10 xld10 vip:XLPULSA10; - = jadi produk stok lagi)',
  setcek: 'setcek KODE GAME (nama game di pemasok, mis. mobile-legends; - = dari pemasok)',
  notify: 'notify [KODE] [off] — kabari saat produk habis tersedia lagi; tanpa KODE: daftar',
  klaim: 'klaim ID_PESANAN ALASAN (contoh: {p}klaim KD-20261204-ABCD1234 akun tidak bisa login)',
  ganti: 'ganti ID_PESANAN',
  tolak: 'tolak ID_PESANAN ALASAN',
  setgaransi: 'setgaransi KODE HARI (0 = tanpa garansi)',
  setform: 'setform KODE email|text|- (data yang diminta dari pembeli; - = tidak ada)',
  setmanual: 'setmanual KODE [off] (dikirim manual dengan .kirim)',
  kirim: 'kirim ID_PESANAN TEKS (barangnya; boleh beberapa baris)',
  ref: 'ref KODE (kode referral temanmu)',
  tagihan: 'tagihan KODE NOMOR_PELANGGAN (contoh: {p}tagihan PLNPASCA 530000000001)',
};

export const refusalId: Texts['error'] = (code, params, p) => {
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
      return params.available
        ? `Maaf, stok ${params.code ?? ''} tinggal ${params.available}, kurang dari ${params.asked ?? ''} yang diminta. Beli paling banyak ${params.available}: ${p}buy ${params.code ?? ''} ${params.available}.`
        : `Maaf, stok ${params.code ?? ''} habis.`;
    case 'INVALID_QTY':
      return `Jumlah harus angka 1 sampai ${params.max ?? 100}.`;
    case 'INVALID_AMOUNT':
      return params.min
        ? `Nominal deposit ${rp(Number(params.min))} sampai ${rp(Number(params.max ?? MAX_AMOUNT))}, angka bulat tanpa titik atau koma, contoh: 50000.`
        : `Nominal harus angka bulat, paling besar ${rp(Number(params.max ?? MAX_AMOUNT))}, contoh: 50000.`;
    case 'INVALID_INPUT':
      return `Format salah. Contoh: ${p}${(USAGE_ID[String(params.command)] ?? 'menu').replaceAll('{p}', p)}`;
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
        ...(params.target ? [`${params.target} ${KIND_ID[String(params.kind)] ?? 'bukan tujuan yang valid untuk produk ini'}.`] : []),
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
    case 'TOPUP_GAME_ID':
      return `ID ${params.target ?? ''} tidak ditemukan di ${params.game ?? 'game ini'}${params.message ? ` (${params.message})` : ''}. Periksa ID dan zona (server) di profil game. Tidak ada yang ditagih.`;
    case 'PRICE_CHANGED':
      return `Harga ${params.code ?? ''} berubah sejak dikonfirmasi (sekarang ${rp(Number(params.total ?? 0))}). Tidak ada yang ditagih; kirim ${p}buy ${params.code ?? ''} lagi bila masih mau.`;
    case 'IN_STOCK':
      return `${params.code ?? ''} sedang tersedia, tidak perlu menunggu: ${p}buy ${params.code ?? ''}`;
    case 'TOO_MANY_WISHES':
      return `Kamu sudah menunggu ${params.max ?? 20} produk. Batalkan salah satu dulu (${p}notify KODE off); daftar: ${p}notify`;
    case 'NO_WARRANTY':
      return `Pesanan ${params.orderId ?? ''} tidak bergaransi (top-up dan produk tanpa garansi tidak bisa diklaim).`;
    case 'WARRANTY_OVER':
      return `Masa garansi pesanan ${params.orderId ?? ''} (${params.days ?? ''} hari sejak dikirim) sudah lewat.`;
    case 'CLAIM_OPEN':
      return `Pesanan ${params.orderId ?? ''} sudah punya klaim yang sedang diperiksa admin. Tunggu jawabannya ya.`;
    case 'NO_OPEN_CLAIM':
      return `Tidak ada klaim terbuka untuk ${params.orderId ?? ''}.`;
    case 'REASON_TOO_LONG':
      return `Alasannya terlalu panjang: paling banyak ${params.max ?? 500} huruf. Tidak ada yang diubah.`;
    case 'DETAIL_REQUIRED':
      return `${params.code ?? ''} perlu ${params.form === 'email' ? 'alamat e-mail' : 'data'} darimu. Tulis: ${p}buy ${params.code ?? ''} ${params.form === 'email' ? 'email@kamu.com' : 'DATA'}. Tidak ada yang ditagih.`;
    case 'BAD_DETAIL':
      return params.form === 'email'
        ? `Itu bukan alamat e-mail yang valid. Tulis satu alamat, mis. ${p}buy ${params.code ?? ''} nama@gmail.com. Tidak ada yang ditagih.`
        : `Datanya terlalu panjang (paling banyak 200 huruf). Tidak ada yang ditagih.`;
    case 'NOT_BY_HAND':
      return `Pesanan ${params.orderId ?? ''} tidak menunggu pengiriman manual (hanya pesanan produk manual yang sudah dibayar).`;
    case 'REFERRAL_OFF':
      return 'Program referral belum aktif di toko ini.';
    case 'REF_ALREADY':
      return 'Kamu sudah bergabung lewat referral (hanya bisa sekali).';
    case 'REF_UNKNOWN':
      return `Kode referral "${params.code ?? ''}" tidak ditemukan. Periksa lagi kodenya.`;
    case 'REF_SELF':
      return 'Itu kode referral kamu sendiri.';
    case 'REF_CIRCLE':
      return 'Kode itu milik orang yang kamu ajak; referral tidak bisa melingkar.';
    case 'REF_TOO_LATE':
      return 'Referral hanya untuk pembeli yang belum pernah belanja.';
    case 'NOT_A_BILL':
      return `${params.code ?? ''} bukan produk tagihan. Beli dengan ${p}buy ${params.code ?? ''}; daftar produk: ${p}produk.`;
    case 'BILL_PRODUCT':
      return `${params.code ?? ''} adalah produk tagihan: cek dulu tagihannya dengan ${p}tagihan ${params.code ?? ''} NOMOR_PELANGGAN. Tidak ada yang ditagih.`;
    case 'BILL_NONE':
      return `Tidak ada tagihan ${params.code ?? ''} untuk nomor ${params.target ?? ''}${params.message ? ` (${params.message})` : ''}. Periksa nomornya, atau coba lagi nanti bila tagihan bulan ini belum terbit. Tidak ada yang ditagih.`;
    case 'BILL_UNKNOWN':
      return `Tagihan ${params.code ?? ''} tidak bisa dicek sekarang (pemasok tidak menjawab). Coba lagi beberapa menit lagi. Tidak ada yang ditagih.`;
    case 'NOTHING_TO_CONFIRM':
      return `Tidak ada yang menunggu konfirmasi (atau sudah lewat 10 menit). Cek tagihan dulu: ${p}tagihan KODE NOMOR_PELANGGAN.`;
    case 'STALE_MESSAGE':
      return `Pesan ${p}${params.command ?? ''} ini terkirim lebih dari ${params.minutes ?? 10} menit lalu (tertunda di jaringan), jadi tidak dijalankan. Kirim ulang jika masih ingin.`;
  }
};
