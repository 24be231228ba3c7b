import type {} from '@fastify/cookie';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminSessionRepo } from '../../app/ports.js';
import { sameSecret } from '../../secret.js';
import type { SecretGuard } from '../edge.js';

const COOKIE = 'kedai_admin';
const SESSION_MS = 12 * 3_600_000;

/**
 * Dashboard sessions. The cookie is `<session id>.<expiry>.<signature>`, signed
 * with a key derived from ADMIN_TOKEN (changing the token ends every session);
 * the session is alive while its row in the database is (a logout ends it in
 * every process). The CSRF token is a second signature over the cookie. Wrong
 * tokens go through the shared SecretGuard (lockout per address and overall).
 */
export class AdminAuth {
  private readonly key: Buffer;

  constructor(
    private readonly adminToken: string,
    private readonly sessions: AdminSessionRepo,
    private readonly guard: SecretGuard,
  ) {
    this.key = createHash('sha256').update(`kedai-admin-session:${adminToken}`).digest();
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }

  /** null when the address is locked out; otherwise whether the token was right. */
  attempt(ip: string, token: unknown): boolean | null {
    return this.guard.check(ip, token, this.adminToken);
  }

  async startSession(reply: FastifyReply, secure: boolean): Promise<void> {
    const sessionId = randomBytes(18).toString('base64url');
    const expires = Date.now() + SESSION_MS;
    await this.sessions.start(sessionId, new Date(expires));
    void reply.setCookie(COOKIE, `${sessionId}.${expires}.${this.sign(`session:${sessionId}:${expires}`)}`, {
      path: '/admin',
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge: SESSION_MS / 1000,
    });
  }

  async endSession(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = this.signed(req)?.sessionId;
    if (id) await this.sessions.end(id);
    void reply.clearCookie(COOKIE, { path: '/admin' });
  }

  /** The cookie's parts when its signature holds and it has not expired (no database read). */
  private signed(req: FastifyRequest): { sessionId: string; value: string } | null {
    const value = req.cookies[COOKIE];
    if (!value || value.length > 200) return null;
    const [sessionId, expires, sig] = value.split('.');
    if (!sessionId || !expires || !sig || !(Number(expires) > Date.now())) return null;
    return sameSecret(sig, this.sign(`session:${sessionId}:${expires}`)) ? { sessionId, value } : null;
  }

  /** The session cookie if it is valid, unexpired and not logged out. */
  async session(req: FastifyRequest): Promise<string | null> {
    const s = this.signed(req);
    return s && (await this.sessions.alive(s.sessionId)) ? s.value : null;
  }

  csrfFor(session: string): string {
    return this.sign(`csrf:${session}`);
  }

  checkCsrf(session: string, token: unknown): boolean {
    return sameSecret(token, this.csrfFor(session));
  }

  /**
   * A form's result message is shown only with the seal of the session that ran the form:
   * a link cannot make the dashboard say what it never said ("transfer to …").
   */
  sealFlash(session: string, kind: 'ok' | 'err', text: string): string {
    return this.sign(`flash:${session}:${kind}:${text}`);
  }

  flashSealed(session: string, kind: 'ok' | 'err', text: string, seal: unknown): boolean {
    return sameSecret(seal, this.sealFlash(session, kind, text));
  }
}
