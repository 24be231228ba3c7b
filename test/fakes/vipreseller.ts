import Fastify from 'fastify';
import { VipSandbox } from '../../src/adapters/vipreseller/sandbox.js';
import { createLogger } from '../../src/log.js';

/**
 * A VIP-Reseller that speaks the real protocol (the built-in sandbox's routes on its own
 * server, under /api) for the production adapter to fail against: slow (a lost answer),
 * refusing, down.
 */
export async function startFakeVip(callbackUrl: () => string | null) {
  const app = Fastify();
  const sandbox = new VipSandbox(callbackUrl, createLogger({ level: 'silent', pretty: false }));
  const calls: string[] = [];
  let down = false;
  app.addHook('preHandler', async (req, reply) => {
    calls.push(`${req.url.split('/').pop() ?? ''}:${String((req.body as { type?: unknown } | undefined)?.type ?? '')}`);
    if (down) {
      req.raw.socket.destroy();
      return reply;
    }
  });
  sandbox.register(app, '/api');
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    sandbox,
    calls,
    setDown: (value: boolean) => (down = value),
    env: { VIPRESELLER_API_ID: sandbox.apiId, VIPRESELLER_API_KEY: sandbox.apiKey, VIPRESELLER_URL: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api` },
    async close() {
      sandbox.close();
      await app.close();
    },
  };
}
