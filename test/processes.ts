import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ADMIN, freePort } from './helpers.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out: ${what}`);
}

/** `npm start`'s node arguments (memory flags, dist/main.js, built by test/global-setup.ts): the tests run what operators run. */
const START_ARGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);

export interface KedaiProcess {
  url: string;
  child: ChildProcess;
  /** Sends the signal and waits until the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The real kedai (`npm start`: the compiled dist/main.js) as its own process on a fresh port, ready
 * when /readyz answers 200. `env` is laid over a quiet test default.
 */
export async function spawnKedai(env: Record<string, string>, opts: { stdout?: string[] } = {}): Promise<KedaiProcess> {
  // A restart keeps its port when `env` names one (webhooks keep their address).
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, START_ARGS, {
    env: {
      ...process.env,
      PORT: String(port),
      REDIS_URL: '',
      ADMIN_NUMBERS: ADMIN,
      LOG_LEVEL: 'warn',
      STATS_LOG_INTERVAL_S: '0',
      ...env,
    },
    stdio: ['ignore', opts.stdout ? 'pipe' : 'ignore', 'inherit'],
  });
  child.stdout?.on('data', (chunk: Buffer) => opts.stdout!.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('kedai ready', () => fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false), 30_000);
  return {
    url,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
