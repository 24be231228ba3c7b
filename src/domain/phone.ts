/**
 * One normaliser for every WhatsApp number a person types and for ADMIN_NUMBERS:
 * `+62 812-3456-7890`, `62812…`, `0812…`, `0062812…` (the international dialling
 * prefix) and `+62 0812…` (the trunk zero kept by mistake) are all `62812…`.
 * One person, one account: a number typed two ways never makes a second (ghost) one.
 * null when what is left is not 8–15 digits (E.164 allows at most 15).
 */
export function normaliseNumber(input: string): string | null {
  let digits = input.trim().replace(/[\s\-+().]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
  if (digits.startsWith('620')) digits = `62${digits.slice(3)}`;
  return /^[1-9]\d{7,14}$/.test(digits) ? digits : null;
}
