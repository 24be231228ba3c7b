import type { FailureReason } from '../domain/topup.js';

/* The words of a top-up's state, in each language: why it cannot be bought now, why it failed. */

/** Why a top-up cannot be bought now, as a buyer reads it. */
export const TOPUP_WHY_ID: Record<string, string> = {
  unavailable: 'sedang tidak tersedia di pemasok',
  cut_off: 'sedang jam tutup (cut-off) pemasok',
  unsynced: 'harganya belum tersinkron dari pemasok',
  no_supplier: 'belum bisa dijual: pemasok top-up belum diatur penjual',
  price: 'sedang tidak tersedia: harga pemasok naik di atas harga jual',
};

/** Why a top-up failed, as a buyer reads it. */
export const FAILED_WHY_ID: Record<FailureReason, string> = {
  target: 'nomor/ID tujuan ditolak pemasok (salah, diblokir, atau tidak sesuai produk). Periksa TUJUAN lalu coba lagi',
  repeat: 'nomor ini hanya bisa diisi produk ini sekali sehari. Coba besok, atau pilih nominal lain',
  unavailable: 'produk sedang gangguan atau tidak tersedia di pemasok. Coba lagi nanti',
  price: 'harga pemasok naik melebihi harga jual. Penjual sudah diberi tahu',
  busy: 'pemasok sedang sibuk atau timeout. Coba lagi beberapa menit lagi',
  store: 'ada kendala di akun toko pada pemasok. Penjual sudah diberi tahu',
  other: 'transaksi ditolak pemasok',
};

/** Why a top-up cannot be bought now, as a buyer reads it. */
export const TOPUP_WHY_EN: Record<string, string> = {
  unavailable: 'is not available at the supplier right now',
  cut_off: "is in the supplier's cut-off hours",
  unsynced: "has no price from the supplier yet",
  no_supplier: 'cannot be sold yet: the seller has not set up a top-up supplier',
  price: "is not available: the supplier's price rose above the selling price",
};

export const FAILED_WHY_EN: Record<FailureReason, string> = {
  target: 'the supplier refused the target number/ID (wrong, blocked or not for this product). Check it and try again',
  repeat: 'this number can only be topped up with this product once a day. Try tomorrow, or choose another amount',
  unavailable: 'the product is disrupted or unavailable at the supplier. Try again later',
  price: "the supplier's price rose above the selling price. The seller has been told",
  busy: 'the supplier is busy or timed out. Try again in a few minutes',
  store: "there is a problem with the store's supplier account. The seller has been told",
  other: 'the supplier refused the transaction',
};
