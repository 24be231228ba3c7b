import pg from 'pg';
import type { Log } from '../../app/deps.js';

/*
 * Changes made by another process (`npx kedai product add`, `balance add`, a second
 * process on the same DATABASE_URL), told to the bot through PostgreSQL itself:
 * the writer sends `pg_notify` inside its transaction, so the notice leaves only
 * if the write commits; the bot LISTENs on a connection of its own and drops the
 * cached entries at once. No Redis needed, and with Redis the bot's in-memory
 * settings are reloaded at once too.
 */

export const CHANGES_CHANNEL = 'kedai_changes';

/** How a repository reports what a write changed (`catalogue`, `user:<waId>`, `settings`: the names double as cache keys, app/cache-aside.ts). */
export type ReportChange = (change: string) => void;

/** PostgreSQL's payload limit is 8,000 bytes: past a margin, one notice that means "everything". */
const MAX_PAYLOAD = 7_000;
export const EVERYTHING = '*';

/** Tells every listener what a write changed (the change names double as cache keys); inside a transaction, only on commit. */
export async function announceChanges(sql: { query(text: string, params?: readonly unknown[]): Promise<unknown[]> }, changes: readonly string[]): Promise<void> {
  if (!changes.length) return;
  let payload = JSON.stringify(changes);
  if (Buffer.byteLength(payload) > MAX_PAYLOAD) payload = JSON.stringify([EVERYTHING]);
  await sql.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);
}

export interface Listening {
  close(): Promise<void>;
}

/**
 * Listens for changes on a connection of its own, connected again (with a growing pause)
 * whenever it breaks. A notice sent while it was away is lost, so after a reconnect it
 * reports `[EVERYTHING]`: the listener drops all it cached.
 */
export function listenForChanges(url: string, onChanges: (changes: string[]) => void, log: Log): Listening {
  let client: pg.Client | null = null;
  let closed = false;
  let connectedBefore = false;
  let pause = 250;
  let timer: NodeJS.Timeout | null = null;

  const again = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, pause);
    timer.unref();
    pause = Math.min(pause * 2, 10_000);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
    client = c;
    let broken = false;
    const lost = () => {
      if (broken) return;
      broken = true;
      void c.end().catch(() => undefined);
      again();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => {
      if (n.channel !== CHANGES_CHANNEL) return;
      try {
        const changes = JSON.parse(n.payload ?? '[]') as unknown;
        onChanges(Array.isArray(changes) && changes.every((x) => typeof x === 'string') ? changes : [EVERYTHING]);
      } catch {
        onChanges([EVERYTHING]);
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      if (!closed) log.warn({ err: (err as Error).message }, 'not listening for changes made by other processes yet; trying again');
      lost();
      return;
    }
    if (closed) return void c.end().catch(() => undefined);
    pause = 250;
    // Whatever was announced while no one listened is unknown: drop everything once.
    if (connectedBefore) onChanges([EVERYTHING]);
    connectedBefore = true;
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
