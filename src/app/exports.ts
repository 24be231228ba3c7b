import { csvLine } from '../domain/csv.js';
import type { AppDeps } from './deps.js';
import type { ExportFilter, ExportPage } from './ports.js';

/** The orders CSV's columns; amounts are whole rupiah, times WIB (`YYYY-MM-DD HH:MM:SS`). */
export const ORDER_EXPORT_HEAD = ['order_id', 'created_wib', 'buyer', 'buyer_name', 'kind', 'product', 'product_name', 'qty', 'unit_price', 'discount', 'total', 'payment_method', 'status', 'paid_wib', 'delivered_wib'];
/** The ledger CSV's columns: every balance movement with the balance after it. */
export const LEDGER_EXPORT_HEAD = ['entry', 'at_wib', 'buyer', 'buyer_name', 'kind', 'amount', 'balance_after', 'order_id', 'note'];

const PAGE = 2_000;

/**
 * An export as CSV chunks: the header, then a page of rows at a time (keyset
 * paging), so 100,000 rows stream in bounded memory and the first bytes leave at once.
 */
export async function* csvPages(head: readonly string[], page: (afterId: string) => Promise<ExportPage>): AsyncGenerator<string> {
  yield csvLine(head);
  for (let after = '0'; ; ) {
    const p = await page(after);
    if (p.rows.length) yield p.rows.map(csvLine).join('');
    if (p.rows.length < PAGE || p.lastId === null) return;
    after = p.lastId;
  }
}

/**
 * A CSV in the seller's language: its column names, and the words of the coded columns
 * (a status, a kind, a payment method) in place of the codes. Absent: the codes as stored.
 */
export interface CsvWords {
  head: readonly string[];
  /** Column index → code → word. */
  codes: Readonly<Record<number, Readonly<Record<string, string>>>>;
}

const worded = (page: (afterId: string) => Promise<ExportPage>, words?: CsvWords) =>
  words
    ? async (after: string): Promise<ExportPage> => {
        const p = await page(after);
        return { ...p, rows: p.rows.map((row) => row.map((cell, i) => (typeof cell === 'string' && words.codes[i]?.[cell] !== undefined ? words.codes[i][cell] : cell))) };
      }
    : page;

export const ordersCsv = (deps: AppDeps, filter: ExportFilter, words?: CsvWords): AsyncGenerator<string> =>
  csvPages(words?.head ?? ORDER_EXPORT_HEAD, worded((after) => deps.store.autocommit.reports.ordersExport(filter, after, PAGE), words));

export const ledgerCsv = (deps: AppDeps, words?: CsvWords): AsyncGenerator<string> =>
  csvPages(words?.head ?? LEDGER_EXPORT_HEAD, worded((after) => deps.store.autocommit.reports.ledgerExport(after, PAGE), words));
