/**
 * CSV as spreadsheets read it (RFC 4180), safe whichever separator the spreadsheet splits
 * on: `,`, or `;` as Indonesian Excel does, or a tab. Text that people typed (a buyer's name,
 * a note) cannot become a formula: a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return, or with one of those right after a separator (`Budi;=1+1`, which a `;`
 * spreadsheet would cut into a formula cell), gets a leading `'` (OWASP's CSV injection
 * advice), and any cell holding a separator is quoted. Numbers stay plain integers.
 */
export type CsvValue = string | number | null;

export function csvCell(v: CsvValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.trunc(v)) : '';
  const safe = /^[=+\-@\t\r]/.test(v) || /[,;\t]\s*[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",;\t\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;
