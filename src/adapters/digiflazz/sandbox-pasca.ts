import { randomBytes } from 'node:crypto';

/*
 * The postpaid side of the Digiflazz sandbox (reference §0, §7): `inq-pasca` answers a bill
 * under a new ref_id, `pay-pasca` pays that inquiry (once: a repeat is its state), and
 * `status-pasca` tells a payment's state. The test customers, by number: ending 0003 has no
 * bill (rc 60); ending 0002 owes two months; ending 0006 fails at payment; starting 63 is
 * pending at payment, then succeeds (or fails, ending 6). The rest owe one month.
 */

export interface PascaSku {
  sku: string;
  name: string;
  category: string;
  brand: string;
  admin: number;
  active: boolean;
}

export const SANDBOX_PASCA: readonly PascaSku[] = [
  { sku: 'pln', name: 'PLN Pascabayar', category: 'Pascabayar', brand: 'PLN PASCABAYAR', admin: 2_500, active: true },
  { sku: 'bpjs', name: 'BPJS Kesehatan', category: 'Pascabayar', brand: 'BPJS KESEHATAN', admin: 2_500, active: true },
];

interface Bill {
  refId: string;
  sku: string;
  customerNo: string;
  periods: string[];
  perPeriod: number;
  admin: number;
  price: number;
  paid?: { status: 'Sukses' | 'Pending' | 'Gagal'; rc: string; sn: string };
}

const MESSAGES: Record<string, string> = { '00': 'Transaksi Sukses', '02': 'Transaksi Gagal', '03': 'Transaksi Pending', '60': 'Tagihan belum tersedia' };

type Answer = { code: number; data: Record<string, unknown> };

export class PascaSandbox {
  readonly bills = new Map<string, Bill>();
  skus: PascaSku[] = SANDBOX_PASCA.map((s) => ({ ...s }));
  /** What one month of a sandbox bill comes to. */
  perPeriod = 50_000;

  constructor(
    private readonly deposit: { take(n: number): boolean; give(n: number): void },
    /** Runs `settle` once a pending payment's time came, and calls back with what it returns. */
    private readonly settleLater: (settle: () => Record<string, unknown>) => void,
  ) {}

  handle(commands: string, echo: { ref_id: string; customer_no: string; buyer_sku_code: string }): Answer {
    const gagal = (rc: string, message: string): Answer => ({ code: 400, data: { ...echo, message, status: 'Gagal', rc, sn: '' } });
    const known = this.bills.get(echo.ref_id);
    if (commands === 'inq-pasca') {
      if (known) return { code: 200, data: this.view(known) };
      const sku = this.skus.find((s) => s.sku === echo.buyer_sku_code);
      if (!sku || !sku.active) return gagal('43', 'Produk sedang Gangguan (Non Aktif)');
      if (echo.customer_no.endsWith('0003')) return gagal('60', MESSAGES['60']!);
      const months = echo.customer_no.endsWith('0002') ? 2 : 1;
      const periods = Array.from({ length: months }, (_, i) => `2026${String(11 - i).padStart(2, '0')}`);
      const bill: Bill = { refId: echo.ref_id, sku: sku.sku, customerNo: echo.customer_no, periods, perPeriod: this.perPeriod, admin: sku.admin * months, price: (this.perPeriod + sku.admin) * months };
      this.bills.set(bill.refId, bill);
      return { code: 200, data: this.view(bill) };
    }
    if (commands === 'status-pasca') {
      if (!known?.paid) return gagal('50', 'Transaksi Tidak Ditemukan');
      return { code: known.paid.status === 'Gagal' ? 400 : 200, data: this.view(known) };
    }
    // pay-pasca: the inquiry's ref_id, its customer and product.
    if (!known || known.customerNo !== echo.customer_no || known.sku !== echo.buyer_sku_code) return gagal('50', 'Transaksi Tidak Ditemukan');
    if (known.paid) return { code: known.paid.status === 'Gagal' ? 400 : 200, data: this.view(known) };
    if (!this.deposit.take(known.price)) return gagal('44', 'Saldo tidak cukup');
    const sn = () => `${Date.now().toString().slice(-10)}${randomBytes(2).toString('hex').toUpperCase()}`;
    if (echo.customer_no.startsWith('63')) {
      known.paid = { status: 'Pending', rc: '03', sn: '' };
      const fails = echo.customer_no.endsWith('6');
      this.settleLater(() => {
        known.paid = fails ? { status: 'Gagal', rc: '02', sn: '' } : { status: 'Sukses', rc: '00', sn: sn() };
        if (fails) this.deposit.give(known.price);
        return this.view(known);
      });
    } else if (echo.customer_no.endsWith('0006')) {
      this.deposit.give(known.price);
      known.paid = { status: 'Gagal', rc: '02', sn: '' };
    } else {
      known.paid = { status: 'Sukses', rc: '00', sn: sn() };
    }
    return { code: known.paid.status === 'Gagal' ? 400 : 200, data: this.view(known) };
  }

  view(b: Bill): Record<string, unknown> {
    const state = b.paid ?? { status: 'Sukses', rc: '00', sn: '' };
    return {
      ref_id: b.refId,
      customer_no: b.customerNo,
      customer_name: 'PELANGGAN SANDBOX',
      buyer_sku_code: b.sku,
      admin: b.admin,
      message: MESSAGES[state.rc] ?? 'Transaksi Gagal',
      status: state.status,
      rc: state.rc,
      sn: state.sn,
      price: b.price,
      selling_price: b.price + 1_000,
      desc: {
        tarif: 'R1',
        daya: 1300,
        lembar_tagihan: String(b.periods.length),
        detail: b.periods.map((periode) => ({ periode, nilai_tagihan: String(b.perPeriod), admin: String(b.admin / b.periods.length), denda: '0' })),
      },
    };
  }

  /** The postpaid price list (`cmd: pasca`). */
  priceList(): Record<string, unknown>[] {
    return this.skus.map((s) => ({
      product_name: s.name,
      category: s.category,
      brand: s.brand,
      seller_name: 'Sandbox',
      admin: s.admin,
      commission: 0,
      buyer_sku_code: s.sku,
      buyer_product_status: s.active,
      seller_product_status: true,
      desc: '-',
    }));
  }
}
