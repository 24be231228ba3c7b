import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

/**
 * Whether `header` is `<algo>=<hex HMAC of raw with secret>` (Meta's X-Hub-Signature-256,
 * Digiflazz's X-Hub-Signature), over the bytes as received, compared in constant time.
 */
export function validHubSignature(raw: Buffer, header: string | undefined, secret: string, algo: 'sha1' | 'sha256'): boolean {
  const prefix = `${algo}=`;
  if (!header?.startsWith(prefix)) return false;
  const given = Buffer.from(header.slice(prefix.length), 'hex');
  const expected = createHmac(algo, secret).update(raw).digest();
  return given.length === expected.length && header.length === prefix.length + expected.length * 2 && timingSafeEqual(given, expected);
}
