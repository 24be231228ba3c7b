import type {} from '@fastify/cookie';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const COOKIE = 'kedai_admin';
const SESSION_MS = 12 * 3_600_000;
const MAX_FAILS = 5;
const LOCK_MS = 15 * 60_000;

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Dashboard sessions without server state (so several kedai processes share
 * them): the cookie is an expiry signed with a key derived from ADMIN_TOKEN;
 * the CSRF token is a second signature over the cookie. Changing ADMIN_TOKEN
 * logs everyone out. Wrong tokens lock an address out for 15 minutes after 5 tries.
 */
export class AdminAuth {
  private readonly key: Buffer;
  private readonly fails = new Map<string, { count: number; until: number }>();

  constructor(private readonly adminToken: string) {
    this.key = createHash('sha256').update(`kedai-admin-session:${adminToken}`).digest();
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }

  /** null when the address is locked out; otherwise whether the token was right. */
  attempt(ip: string, token: string, now = Date.now()): boolean | null {
    const f = this.fails.get(ip);
    if (f && f.until > now) return null;
    if (same(token, this.adminToken)) {
      this.fails.delete(ip);
      return true;
    }
    const count = (f && f.until === 0 ? f.count : 0) + 1;
    this.fails.set(ip, { count, until: count >= MAX_FAILS ? now + LOCK_MS : 0 });
    if (this.fails.size > 10_000) this.fails.clear();
    return false;
  }

  startSession(reply: FastifyReply, secure: boolean): void {
    const expires = Date.now() + SESSION_MS;
    void reply.setCookie(COOKIE, `${expires}.${this.sign(`session:${expires}`)}`, {
      path: '/admin',
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge: SESSION_MS / 1000,
    });
  }

  endSession(reply: FastifyReply): void {
    void reply.clearCookie(COOKIE, { path: '/admin' });
  }

  /** The session cookie if it is valid and unexpired. */
  session(req: FastifyRequest): string | null {
    const value = req.cookies[COOKIE];
    if (!value) return null;
    const [expires, sig] = value.split('.');
    if (!expires || !sig || Number(expires) < Date.now()) return null;
    return same(sig, this.sign(`session:${expires}`)) ? value : null;
  }

  csrfFor(session: string): string {
    return this.sign(`csrf:${session}`);
  }

  checkCsrf(session: string, token: unknown): boolean {
    return typeof token === 'string' && same(token, this.csrfFor(session));
  }
}
