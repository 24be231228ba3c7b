import type { CsvValue } from '../../domain/csv.js';
import type { OrderFilter } from './reports.js';

/* What the dashboard's CSV downloads read from the store. */

/** What the orders CSV covers: the dashboard list's filter (its paging aside). */
export type ExportFilter = Omit<OrderFilter, 'beforeId'>;

/** A page of an export: rows of cells, and where the next page starts (null: the end). */
export interface ExportPage {
  rows: CsvValue[][];
  lastId: string | null;
}
