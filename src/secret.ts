import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Whether `given` is the secret, in constant time for any input: both sides are
 * hashed first, so a guess of another length (or of multi-byte characters, whose
 * byte length differs from their string length) neither crashes the comparison
 * nor tells the length of the secret.
 */
export function sameSecret(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(secret));
}

/** A strong random token: 32 bytes, base64url (43 characters). `npx kedai token` prints one. */
export const strongToken = (): string => randomBytes(32).toString('base64url');
