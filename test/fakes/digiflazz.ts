import Fastify from 'fastify';
import { DigiflazzSandbox } from '../../src/adapters/digiflazz/sandbox.js';
import { createLogger } from '../../src/log.js';

/**
 * A Digiflazz that speaks the real protocol (the built-in sandbox's routes on
 * its own server, under /v1) for the production adapter to fail against: its
 * knobs make it slow, down, silent, repetitive or out of order.
 */
export async function startFakeDigiflazz(callbackUrl: () => string | null) {
  const app = Fastify();
  const sandbox = new DigiflazzSandbox(callbackUrl, createLogger({ level: 'silent', pretty: false }));
  const calls = { transaction: 0, priceList: 0, balance: 0 };
  let down = false;
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.endsWith('/transaction')) calls.transaction++;
    if (req.url.endsWith('/price-list')) calls.priceList++;
    if (req.url.endsWith('/cek-saldo')) calls.balance++;
    if (down) {
      req.raw.socket.destroy();
      return reply;
    }
  });
  sandbox.register(app, '/v1');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1`;
  return {
    sandbox,
    calls,
    /** Every connection is cut (the supplier unreachable). */
    setDown: (value: boolean) => (down = value),
    env: {
      DIGIFLAZZ_USERNAME: sandbox.username,
      DIGIFLAZZ_API_KEY: sandbox.apiKey,
      DIGIFLAZZ_WEBHOOK_SECRET: sandbox.webhookSecret,
      DIGIFLAZZ_URL: base,
      DIGIFLAZZ_TESTING: 'true',
    },
    async close() {
      sandbox.close();
      await app.close();
    },
  };
}
