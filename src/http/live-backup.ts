import type { FastifyInstance } from 'fastify';
import { sameSecret } from '../secret.js';
import { fromThisMachine } from './edge.js';

/**
 * `GET /internal/backup`: a consistent copy of the running embedded store (PGlite's
 * data folder as .tar.gz, taken between two statements), for `npx kedai backup`
 * while the bot holds the folder. Only from this machine, with the key the bot
 * wrote into `DATA_DIR/kedai.lock` (mode 0600): whoever can read the data may copy it.
 */
export function registerLiveBackup(app: FastifyInstance, dump: () => Promise<Blob>, token: string): void {
  app.get('/internal/backup', async (req, reply) => {
    if (!fromThisMachine(req, false) || !sameSecret(req.headers.authorization?.replace(/^Bearer\s+/i, ''), token)) {
      return reply.code(403).send({ error: 'forbidden' });
    }
    const blob = await dump();
    return reply.type('application/gzip').header('cache-control', 'no-store').send(Buffer.from(await blob.arrayBuffer()));
  });
}
