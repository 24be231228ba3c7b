/**
 * A calendar day as a seller types it (`2026-11-30`, read in WIB): midnight WIB of that day,
 * or null when it is not a real day. `2026-13-45` and `2026-02-30` are refused, not rolled
 * over into another date the seller never asked for.
 */
export function parseWibDay(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (y < 2000 || y > 2999 || utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return null;
  return new Date(utc.getTime() - 7 * 3_600_000);
}
