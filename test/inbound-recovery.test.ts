import { describe, expect, it } from 'vitest';
import { migrate } from '../src/adapters/postgres/migrate.js';
import { inboundQueue } from '../src/adapters/postgres/repos/inbound-queue.js';
import type { InboundMessage } from '../src/app/ports.js';
import { createInboundRecovery } from '../src/jobs/inbound-recovery.js';
import { createLogger } from '../src/log.js';
import { concurrentBackend } from './helpers.js';

const log = createLogger({ level: 'silent', pretty: false });

describe(`recovering the messages a dead process had kept (${concurrentBackend.name})`, () => {
  it('handles them side by side, each sender in the order they came: one reply hanging holds only its own sender', async () => {
    const { db, drop } = await concurrentBackend.open();
    try {
      await migrate(db);
      // Kept by a process that died: a1 oldest, then b1, a2, c1, b2 (one second apart).
      const kept = [
        ['wamid.z-a1', '6281'],
        ['wamid.y-b1', '6282'],
        ['wamid.x-a2', '6281'],
        ['wamid.w-c1', '6283'],
        ['wamid.v-b2', '6282'],
      ] as const;
      for (const [i, [id, from]] of kept.entries()) {
        const message = { id, from, name: '', text: '.saldo', at: new Date(Date.now() - 300_000 + i * 1_000).toISOString(), chat: from };
        await db.query(`INSERT INTO inbound_queue (message_id, message, received_at) VALUES ($1, $2, now() - make_interval(secs => $3))`, [id, JSON.stringify(message), 300 - i]);
      }
      const events: string[] = [];
      let releaseA1 = () => undefined as void;
      const a1Hangs = new Promise<void>((resolve) => (releaseA1 = resolve));
      const handle = async (m: InboundMessage) => {
        expect(m.recovered).toBe(true);
        events.push(`start ${m.id.slice(8)}`);
        if (m.id === 'wamid.z-a1') await a1Hangs;
        else await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${m.id.slice(8)}`);
      };
      const recovery = createInboundRecovery(inboundQueue(db), handle, log);
      recovery.kick();
      // a1's reply hangs: the other senders are answered meanwhile, a1's sender's next message waits its turn.
      for (let i = 0; i < 200 && !['end b2', 'end c1'].every((e) => events.includes(e)); i++) await new Promise((r) => setTimeout(r, 10));
      expect(events).toContain('end b1');
      expect(events).toContain('end b2');
      expect(events).toContain('end c1');
      expect(events.indexOf('end b1')).toBeLessThan(events.indexOf('start b2'));
      expect(events).not.toContain('start a2');
      releaseA1();
      await recovery.idle();
      expect(events.indexOf('end a1')).toBeLessThan(events.indexOf('start a2'));
      expect(events.filter((e) => e.startsWith('end'))).toHaveLength(5);
      // Each left the queue once handled; nothing is handed over twice.
      expect(await db.query('SELECT message_id FROM inbound_queue')).toEqual([]);
    } finally {
      await drop();
    }
  });
});
