import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServer } from '../src/adapters/postgres/embedded-server.js';
import { createLogger } from '../src/log.js';

/**
 * The process tests run `npm start` as operators do: the compiled build in dist/.
 * Build it from the source under test first, so they never run a stale copy.
 *
 * The suites run on PostgreSQL only: the server DATABASE_URL names (CI), or else one the
 * tests start themselves, the embedded server kedai ships, in a folder of their own.
 */
export default async function setup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (process.env.DATABASE_URL) return async () => undefined;
  const server = await startEmbeddedServer({ dataDir: join(mkdtempSync(join(tmpdir(), 'kedai-tests-')), 'data'), log: createLogger({ level: 'warn', pretty: false }) });
  process.env.DATABASE_URL = server.url;
  return () => server.stop();
}
