/**
 * CSV as spreadsheets read it (RFC 4180). Text that people typed (a buyer's name, a
 * note) cannot become a formula: a text cell starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return gets a leading `'` (OWASP's CSV injection advice). Numbers stay
 * plain integers, negative ones included.
 */
export type CsvValue = string | number | null;

export function csvCell(v: CsvValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.trunc(v)) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;
