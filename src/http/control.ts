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
  /** The embedded store as one snapshot in kedai's backup format (gzipped JSON lines). */
  dump(): Promise<Buffer>;
  /** Carries out a CLI command on this process's store; `files` are the ones the CLI read. */
  runCli(argv: string[], files: Record<string, string>): Promise<CliRun>;
}

/**
 * The largest command the CLI relays: its arguments and the files it read (a stock import file;
 * one item is at most 4,000 characters, so 16 MB is some thousands of items). The CLI refuses a
 * bigger one before sending it, and says to split the file.
 */
export const CONTROL_BODY_LIMIT = 16 * 1024 * 1024;

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
  // Checked when the request arrives, before a byte of its body is read: a stranger cannot make
  // the process read (or parse) anything, whatever the body's size.
  const onRequest = async (req: FastifyRequest, reply: FastifyReply) => {
    if (fromThisMachine(req, false) && sameSecret(req.headers.authorization?.replace(/^Bearer\s+/i, ''), token)) return;
    // The connection is closed after the answer: the body the stranger is still sending is never read.
    return reply.code(403).header('connection', 'close').send({ error: 'forbidden' });
  };
  app.get('/internal/backup', { onRequest }, async (_req, reply) => {
    return reply.type('application/gzip').header('cache-control', 'no-store').send(await routes.dump());
  });
  app.post('/internal/cli', { bodyLimit: CONTROL_BODY_LIMIT, onRequest }, async (req, reply) => {
    const body = CliRequest.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'bad request' });
    return reply.header('cache-control', 'no-store').send(await routes.runCli(body.data.argv, body.data.files));
  });
}
