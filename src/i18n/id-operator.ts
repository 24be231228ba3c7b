import { formatRupiah as rp } from '../domain/money.js';
import { cutAt } from '../domain/text.js';
import { discountText, formatWib } from './format.js';
import type { Texts } from '../app/ports.js';

/** Order statuses as a person reads them. */
export const STATUS: Record<string, string> = {
  pending: 'menunggu bayar',
  paid: 'dibayar',
  delivered: 'terkirim',
  expired: 'kedaluwarsa',
  cancelled: 'dibatalkan',
  failed: 'gagal',
  refunded: 'dikembalikan',
  reversed: 'dibatalkan bank',
};



/** What the store's operators read: admin replies and notices. */
export const idOperator = {
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
  adminLatePayment: (o, credited) =>
    `[admin] Pembayaran terlambat ${o.publicId} ${rp(o.total)} dari ${o.waId}: ${credited ? 'stok habis, dana masuk saldo pembeli' : 'barang dikirim'}.`,
  adminRefund: (o, status) =>
    `[admin] Midtrans melaporkan ${status} untuk ${o.publicId} (${rp(o.total)}, pembeli ${o.waId}). Status pesanan: ${STATUS[o.status] ?? o.status}.`,
  adminLowStock: (code, name, left) =>
    left === 0 ? `[admin] Stok ${code} (${name}) HABIS. Tambah dengan .addstok ${code}` : `[admin] Stok ${code} (${name}) tinggal ${left}. Tambah dengan .addstok ${code}`,
  adminDeadLetter: (to, n, err) => `[admin] Pesan ke ${to} gagal terkirim setelah ${n} percobaan (${cutAt(err, 120)}). Cek nomornya atau kirim ulang.`,
  adminChallenge: (o) => `[admin] Pembayaran ${o.publicId} (${rp(o.total)}) ditahan untuk ditinjau (challenge). Setujui atau tolak di dashboard Midtrans.`,
  adminReversal: (o, r) =>
    [
      `[admin] ⚠️ PEMBAYARAN DIBATALKAN BANK (${r.gatewayStatus}) setelah lunas: ${o.publicId}, pembeli ${o.waId}, ${rp(o.total)}, ${o.kind === 'deposit' ? 'deposit' : `${o.productCode ?? ''} x${o.qty}`}.`,
      r.items.length ? `Sudah terkirim: ${r.items.map((i) => cutAt(i, 200)).join(' | ')}` : '',
      r.topup
        ? r.topup.status === 'success'
          ? `Top-up ke ${o.targetShown ?? ''} sudah SUKSES di pemasok (SN ${r.topup.sn ?? '-'}): barangnya terkirim, modalnya terpakai.`
          : r.topup.status === 'failed'
            ? `Top-up ke ${o.targetShown ?? ''} gagal di pemasok: tidak ada yang terkirim.`
            : `Top-up ke ${o.targetShown ?? ''} masih diproses pemasok dan tidak bisa dibatalkan di sana: bisa saja tetap berhasil (modal terpakai). kedai mengabari hasil akhirnya; SN tidak dikirim ke pembeli.`
        : '',
      `Saldo pembeli ditarik ${rp(r.taken)} (tidak ada yang dikembalikan ke saldo); masih terhutang ${rp(r.owed)}. Pembelian pembeli ini ditahan sampai .lepas ${o.waId}`,
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
      ...(r.commissions?.count ? [`Komisi referral: ${r.commissions.count} pesanan · ${rp(r.commissions.amount)}`] : []),
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
      ...(r.supplier
        ? [`Deposit pemasok: ${r.supplier.balance === null ? 'belum diketahui' : rp(r.supplier.balance)}${r.supplier.low ? ' ⚠️ MENIPIS, isi ulang' : ''} · top-up menunggu: ${r.supplier.pendingTopups}`]
        : []),
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
  costSaved: (code, cost) => (cost === null ? `Modal ${code} dihapus: laba produk ini tidak dihitung lagi.` : `Modal ${code} sekarang ${rp(cost)}. Laba dihitung untuk pesanan mulai sekarang (Laporan dan Ringkasan di dasbor).`),
  priceSaved: (code, price, role) => (role ? `Harga ${code} untuk role ${role} sekarang ${rp(price)}.` : `Harga ${code} sekarang ${rp(price)}.`),
  productSaved: (code, what, prefix = '.') =>
    ({
      added: `Produk ${code} ditambahkan. Tambah stok: ${prefix}addstok ${code} lalu item per baris.`,
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
  adminTopupFailed: (o, rc, msg) =>
    `[admin] Top-up ${o.publicId} (${o.productCode ?? ''} ke ${o.targetShown ?? ''}) ditolak pemasok karena akun toko: rc ${rc} "${cutAt(msg, 160)}". Dana pembeli sudah kembali ke saldonya. Periksa deposit, whitelist IP, atau API key di Digiflazz.`,
  adminTopupStuck: (o, so) =>
    `[admin] Top-up ${o.publicId} (${o.productCode ?? ''} ke ${o.targetShown ?? ''}, ${rp(o.total)}, pembeli ${o.waId}) belum ada kepastian dari pemasok sejak ${formatWib(so.createdAt)} (status ${so.status}, ${so.attempts}x dicek). Cek di panel Digiflazz; kedai terus mengecek${so.nextCheckAt ? '' : ' (sudah berhenti: lewat batas 90 hari)'}.`,
  adminTopupConflict: (o, was, reply) =>
    `[admin] ⚠️ Pemasok sekarang melaporkan ${reply.outcome === 'success' ? 'SUKSES' : 'GAGAL'} (rc ${reply.rc ?? '-'} "${cutAt(reply.message, 120)}") untuk top-up ${o.publicId} yang sudah ${was === 'success' ? 'sukses terkirim' : was === 'failed' ? 'gagal dan dikembalikan' : 'dikembalikan ke saldo'} (pembeli ${o.waId}, ${rp(o.total)}). kedai tidak mengubah apa pun; putuskan sendiri.`,
  adminTopupAfterReversal: (o, reply) =>
    reply.outcome === 'success'
      ? `[admin] ⚠️ Pemasok SUKSES untuk top-up ${o.publicId} (${o.productCode ?? ''} ke ${o.targetShown ?? ''}, SN ${reply.sn ?? '-'}) yang pembayarannya sudah dibatalkan bank: barangnya terkirim dan modalnya terpakai, pembeli ${o.waId} masih terhutang ${rp(o.owed)}. SN tidak dikirim ke pembeli; putuskan sendiri.`
      : `[admin] Pemasok GAGAL untuk top-up ${o.publicId} (${o.productCode ?? ''} ke ${o.targetShown ?? ''}) yang pembayarannya sudah dibatalkan bank: tidak ada yang terkirim dan tidak ada modal terpakai. Hutang ${rp(o.owed)} tercatat untuk pesanan ini bisa dianggap lunas: .lepas ${o.waId} bila sesuai.`,
  adminRecheckRefused: (o, reply) =>
    `[admin] ⚠️ Pemasok menolak cek status top-up ${o.publicId} karena akun toko: rc ${reply.rc ?? '-'} "${cutAt(reply.message, 160)}". Transaksinya tetap berjalan di pemasok, jadi tidak ada yang dikembalikan; kedai terus mengecek. Periksa whitelist IP, API key, atau deposit di Digiflazz.`,
  adminUnknownRc: (o, reply) =>
    `[admin] Pemasok menjawab dengan rc ${reply.rc ?? '-'} yang tidak dikenal kedai ("${cutAt(reply.message, 160)}", status ${reply.outcome === 'success' ? 'Sukses' : reply.outcome === 'failed' ? 'Gagal' : 'Pending'}) untuk top-up ${o.publicId}. kedai mengikuti statusnya. Pemberitahuan ini sekali untuk rc ini.`,
  adminCostRisen: (code, name, cost, price) =>
    `[admin] Harga pemasok ${code} (${name}) naik jadi ${rp(cost)}, di atas harga jualmu ${rp(price)}. Pesanan akan gagal (dan dikembalikan) sampai harga dinaikkan: .setharga ${code} HARGA`,
  adminSupplierLow: (bal, low) => `[admin] Saldo deposit pemasok tinggal ${rp(bal)} (batas ${rp(low)}). Isi ulang deposit Digiflazz agar top-up tidak gagal.`,
  skuSet: (r) =>
    r.sku === null
      ? `${r.code} sekarang produk stok lagi (isi dengan .addstok ${r.code}).`
      : r.postpaid
        ? `${r.code} sekarang produk tagihan lewat SKU ${r.sku}; harganya biaya toko di atas tagihan. Pembeli cek dengan .tagihan ${r.code} NOMOR_PELANGGAN`
        : `${r.code} sekarang top-up lewat SKU ${r.sku} (modal ${rp(r.cost ?? 0)})${r.backup ? `, cadangan ${r.backup} bila pemasok pertama gagal` : ''}. Langsung bisa dibeli: .buy ${r.code} TUJUAN`,
  checkGameSet: (code, game) => (game ? `ID untuk ${code} sekarang dicek di game "${game}" sebelum bayar.` : `ID untuk ${code} dicek di game menurut nama dari pemasok.`),
  supplierStatus: (s) =>
    [
      `*Pemasok: ${s.name}*`,
      `Saldo deposit: ${s.live !== null ? rp(s.live) : s.balance !== null ? `${rp(s.balance)} (terakhir ${s.balanceAt ? formatWib(s.balanceAt) : '-'})` : 'belum diketahui'}`,
      `Daftar harga: ${s.skus} SKU, sinkron ${s.syncedAt ? formatWib(s.syncedAt) : 'belum pernah'}${s.syncError ? ` — galat terakhir: ${cutAt(s.syncError, 120)}` : ''}`,
      `Top-up menunggu pemasok: ${s.open}`,
    ].join('\n'),
} satisfies Partial<Texts>;
