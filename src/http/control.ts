import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sameSecret } from '../secret.js';
import { fromThisMachine } from './edge.js';

/** What `/internal/cli` answers: what the command printed, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface ControlRoutes {
  /** The embedded store's data folder as .tar.gz, taken between two statements. */
  dump(): Promise<Blob>;
  /** Carries out a CLI command on this process's store; `files` are the ones the CLI read. */
  runCli(argv: string[], files: Record<string, string>): Promise<CliRun>;
}

const CliRequest = z.object({
  argv: z.array(z.string().max(10_000)).min(1).max(20),
  files: z.record(z.string().max(500), z.string()).default({}),
});

/**
 * The running embedded bot's local control routes, for `npx kedai` while the bot
 * holds the data folder (PGlite is one process per folder):
 *
 * - `GET /internal/backup`: a consistent copy of the store;
 * - `POST /internal/cli`: a CLI command (products, stock, balances, exports, verify)
 *   carried out here, on this process's store.
 *
 * Only from this machine, with the key the bot wrote into `DATA_DIR/kedai.lock`
 * (mode 0600): whoever can read that file can read the data itself.
 */
export function registerControl(app: FastifyInstance, routes: ControlRoutes, token: string): void {
  const allowed = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (fromThisMachine(req, false) && sameSecret(req.headers.authorization?.replace(/^Bearer\s+/i, ''), token)) return true;
    void reply.code(403).send({ error: 'forbidden' });
    return false;
  };
  app.get('/internal/backup', async (req, reply) => {
    if (!allowed(req, reply)) return reply;
    const blob = await routes.dump();
    return reply.type('application/gzip').header('cache-control', 'no-store').send(Buffer.from(await blob.arrayBuffer()));
  });
  // A stock file can be large: up to 64 MB here (one item is at most 4,000 characters).
  app.post('/internal/cli', { bodyLimit: 64 * 1024 * 1024 }, async (req, reply) => {
    if (!allowed(req, reply)) return reply;
    const body = CliRequest.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'bad request' });
    return reply.header('cache-control', 'no-store').send(await routes.runCli(body.data.argv, body.data.files));
  });
}
