import helmet from 'helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret } from '../secret.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Whether the request comes from this machine. `req.ip` follows X-Forwarded-For
 * only through the proxies TRUST_PROXY names; without TRUST_PROXY, a loopback
 * request that carries forwarding headers came through a local reverse proxy
 * from somewhere else, so it does not count as local.
 */
export function fromThisMachine(req: FastifyRequest, proxyTrusted: boolean): boolean {
  if (!LOOPBACK.test(req.ip)) return false;
  return proxyTrusted || (req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined && req.headers['x-real-ip'] === undefined);
}

/**
 * Security headers on every response (helmet): a CSP without inline script,
 * framing denied, nosniff, no referrer (payment links must not leak through it).
 * HSTS and upgrade-insecure-requests only on requests that came over https, so a
 * store reached over plain http (a LAN, staging) keeps working.
 *
 * helmet's own middleware, built once: the fastify plugin rebuilt it (parsing the CSP
 * again) on every request, a twentieth of what a webhook allocated (docs/performance.md).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) => {
    headers(req.raw, reply.raw, (err?: unknown) => {
      if (err) return done(err as Error);
      if (req.protocol === 'https') {
        reply.raw.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
        const csp = reply.raw.getHeader('content-security-policy');
        if (typeof csp === 'string') reply.raw.setHeader('content-security-policy', `${csp};upgrade-insecure-requests`);
      }
      done();
    });
  });
}

/**
 * One limiter for every check of a secret (dashboard login, metrics bearer):
 * an address that fails `perAddress` times is locked out for `lockMs`; when all
 * addresses together fail `overall` times within `lockMs` (a guesser rotating
 * addresses), every address is refused until the window ends. A right secret
 * clears its address. In memory, per process.
 */
export class SecretGuard {
  private readonly fails = new Map<string, { count: number; until: number }>();
  private window = { start: 0, count: 0 };

  constructor(private readonly opts: { perAddress: number; overall: number; lockMs: number } = { perAddress: 5, overall: 100, lockMs: 15 * 60_000 }) {}

  /** null while the address (or everyone) is locked out; otherwise whether `given` is `secret`. */
  check(ip: string, given: unknown, secret: string, now = Date.now()): boolean | null {
    const { perAddress, overall, lockMs } = this.opts;
    // One IPv6 customer holds a whole /64: count it as one address.
    const address = ip.includes(':') && !ip.startsWith('::ffff:') ? ip.split(':').slice(0, 4).join(':') : ip;
    if (now - this.window.start >= lockMs) this.window = { start: now, count: 0 };
    const f = this.fails.get(address);
    if ((f && f.until > now) || this.window.count >= overall) return null;
    if (sameSecret(given, secret)) {
      this.fails.delete(address);
      return true;
    }
    this.window.count++;
    const count = (f && f.until === 0 ? f.count : 0) + 1;
    this.fails.set(address, { count, until: count >= perAddress ? now + lockMs : 0 });
    if (this.fails.size > 10_000) this.fails.clear();
    return false;
  }
}
