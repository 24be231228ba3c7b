/*
 * The quick start as a seller runs it (`npm start`, no DATABASE_URL, no REDIS_URL): the
 * embedded PostgreSQL server in a fresh DATA_DIR. Time from the command to a web chat
 * that answers (first start, with initdb, and a later one), and the memory of node and
 * PostgreSQL together (PSS, so pages the server's processes share count once): the peak
 * of the first start, after some traffic, and idle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ADMIN = '6280000000001';

/** The pids of `root` and every process below it (the server, its backends, an initdb). */
function family(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the 4th field after the command name, which may hold spaces: read after its ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const all: number[] = [];
  const visit = (pid: number) => {
    all.push(pid);
    for (const child of parents.get(pid) ?? []) visit(child);
  };
  visit(root);
  return all;
}

/** PSS of `pids` together, in MB. */
function pssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone meanwhile */
    }
  }
  return Math.round(kb / 1024);
}

interface Started {
  child: ChildProcess;
  url: string;
  readyMs: number;
  peakPssMb: number;
}

/** `npm start` on `dataDir` (through node directly, with npm start's arguments), sampling PSS until a web chat message is answered. */
async function start(dataDir: string, port: number, startArgs: string[]): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, startArgs, {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', WHATSAPP_TRANSPORT: 'webchat', LOG_LEVEL: 'warn', ADMIN_NUMBERS: ADMIN,
      // The traffic below is a crowd of buyers, not one buyer hammering: every message handled, none refused by the limits.
      RATE_LIMIT_CMD_PER_MIN: '100000', RATE_LIMIT_BUY_PER_MIN: '10000' },
    stdio: 'ignore',
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, pssMb(family(child.pid!)))), 50);
  const url = `http://127.0.0.1:${port}`;
  try {
    const from = `62855${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    let sent = false;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kedai exited with ${child.exitCode} before it answered`);
      if (performance.now() - t0 > 60_000) throw new Error('kedai did not answer the web chat within 60 s');
      if (!sent) sent = await send(url, from, '.menu').then(() => true, () => false);
      if (sent && (await replies(url, from)).length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { child, url, readyMs: Math.round(performance.now() - t0), peakPssMb: peak };
  } finally {
    clearInterval(sampler);
  }
}

const send = async (url: string, from: string, text: string) => {
  const res = await fetch(`${url}/chat/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
  if (!res.ok) throw new Error(`web chat: HTTP ${res.status}`);
};
const replies = async (url: string, number: string) =>
  ((await (await fetch(`${url}/chat/api/messages?number=${number}`)).json()) as { messages: { direction: string; text: string }[] }).messages.filter((m) => m.direction === 'out');

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

export async function embeddedBench(freePort: () => Promise<number>, startArgs: string[]) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'kedai-bench-embedded-')), 'data');
  try {
    const first = await start(dataDir, await freePort(), startArgs);
    // Some traffic: buyers browsing, funded buyers buying from the demo catalogue.
    const MESSAGES = 1_500;
    let traffic: { pssMb: number; idlePssMb: number; messagesPerSecond: number };
    try {
      // 16 buyers in flight, each waiting for the answer before writing again.
      const WORKERS = 16;
      const buyerOf = (w: number, i: number) => `62866${String(w * 100 + (i % 3)).padStart(8, '0')}`;
      for (let w = 0; w < WORKERS; w++) for (let i = 0; i < 3; i++) await send(first.url, ADMIN, `.addsaldo ${buyerOf(w, i)} 1000000`);
      const t = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          for (let mine = 0; next < MESSAGES; mine++) {
            const i = next++;
            const buyer = buyerOf(w, mine);
            const before = (await replies(first.url, buyer)).length;
            await send(first.url, buyer, i % 15 === 0 ? '.buy NETFLIX1' : i % 3 === 0 ? '.saldo' : '.produk');
            while ((await replies(first.url, buyer)).length === before) await new Promise((r) => setTimeout(r, 5));
          }
        }),
      );
      const messagesPerSecond = Math.round(MESSAGES / ((performance.now() - t) / 1000));
      await new Promise((r) => setTimeout(r, 1_000));
      const pssAfterTraffic = pssMb(family(first.child.pid!));
      // Idle: the caches age, the collector runs; what a quiet store holds.
      await new Promise((r) => setTimeout(r, Number(process.env.BENCH_IDLE_SECONDS ?? 20) * 1000));
      traffic = { pssMb: pssAfterTraffic, idlePssMb: pssMb(family(first.child.pid!)), messagesPerSecond };
    } finally {
      await stop(first.child);
    }
    const later = await start(dataDir, await freePort(), startArgs);
    await stop(later.child);
    return {
      firstStartToWebChatMs: first.readyMs,
      firstStartPeakPssMb: first.peakPssMb,
      afterTrafficPssMb: traffic.pssMb,
      idlePssMb: traffic.idlePssMb,
      trafficMessages: MESSAGES,
      trafficMessagesPerSecond: traffic.messagesPerSecond,
      laterStartToWebChatMs: later.readyMs,
    };
  } finally {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
}
