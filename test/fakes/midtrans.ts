import Fastify from 'fastify';
import { MidtransSandbox } from '../../src/adapters/midtrans/sandbox.js';
import { createLogger } from '../../src/log.js';

export const FAKE_KEY = 'SB-Mid-server-fake-midtrans-key';

export type Route = 'snap' | 'status' | 'cancel' | 'charge';
/**
 * What the next matching request suffers: an HTTP error answer, a connection
 * reset, or `late`: processed normally but answered after `ms` (the client has
 * given up by then, yet the transaction exists), or once `until` resolves; `body`:
 * HTTP 200 with the failure `code` in the body's `status_code`, as the Core API answers.
 */
export type Fault = { route: Route; kind: 500 | 503 | 429 | 400 | 'reset' | 'late' | 'body'; ms?: number; until?: Promise<void>; code?: number };

const routeOf = (url: string): Route | null =>
  url.includes('/snap/v1/transactions') ? 'snap' : url.endsWith('/status') ? 'status' : url.endsWith('/cancel') ? 'cancel' : url.endsWith('/charge') ? 'charge' : null;

/**
 * A Midtrans that speaks the real protocol (the built-in sandbox's routes on its
 * own server) with fault injection in front, for the production adapter to fail against.
 */
export async function startFakeMidtrans(notifyUrl: () => string) {
  const app = Fastify();
  const faults: Fault[] = [];
  const calls: Record<Route, number> = { snap: 0, status: 0, cancel: 0, charge: 0 };
  /** The headers of every call, as sent. */
  const headers: { route: Route; method: string; contentType?: string; accept?: string }[] = [];
  let down = false;
  let base = '';
  const sandbox = new MidtransSandbox(FAKE_KEY, '', notifyUrl, createLogger({ level: 'silent', pretty: false }));

  app.addHook('onRequest', async (req, reply) => {
    const route = routeOf(req.url);
    if (!route) return;
    calls[route]++;
    headers.push({ route, method: req.method, contentType: req.headers['content-type'], accept: req.headers.accept });
    if (down) return reply.code(503).send({ status_code: '503', status_message: 'down' });
    const i = faults.findIndex((f) => f.route === route);
    if (i < 0) return;
    const fault = faults[i]!;
    if (fault.kind === 'late') return; // handled on send
    faults.splice(i, 1);
    if (fault.kind === 'reset') {
      req.raw.socket.destroy();
      return reply;
    }
    if (fault.kind === 'body') return reply.code(200).send({ status_code: String(fault.code ?? 412), status_message: 'Merchant cannot modify the status of the transaction' });
    return reply.code(fault.kind).send({ status_code: String(fault.kind), error_messages: ['injected fault'] });
  });
  app.addHook('onSend', async (req, _reply, payload) => {
    const route = routeOf(req.url);
    const i = faults.findIndex((f) => f.route === route && f.kind === 'late');
    if (i < 0) return payload;
    const [fault] = faults.splice(i, 1);
    await (fault!.until ?? new Promise((r) => setTimeout(r, fault!.ms ?? 1_000)));
    return payload;
  });
  sandbox.register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    sandbox,
    faults,
    calls,
    headers,
    setDown: (value: boolean) => (down = value),
    env: { MIDTRANS_SERVER_KEY: FAKE_KEY, MIDTRANS_SNAP_URL: `${base}/sandbox/midtrans/snap/v1`, MIDTRANS_API_URL: `${base}/sandbox/midtrans/v2` },
    close: () => app.close(),
  };
}
