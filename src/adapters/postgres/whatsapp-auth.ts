import { BufferJSON, initAuthCreds, proto, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { Database } from './db.js';

/**
 * Baileys' auth state in PostgreSQL (Baileys' README asks for a real store in
 * production; its multi-file example is not one). Creds are saved on every
 * `creds.update`, signal keys on every `keys.set`, in one transaction per set,
 * so a crash never leaves half a key update behind.
 */
export async function usePostgresAuthState(db: Database, session = 'default'): Promise<{ state: AuthenticationState; saveCreds(): Promise<void>; clear(): Promise<void> }> {
  const encode = (value: unknown) => JSON.stringify(value, BufferJSON.replacer);
  const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);
  const [row] = await db.query<{ value: string }>('SELECT value FROM whatsapp_auth WHERE session = $1 AND key = $2', [session, 'creds']);
  const creds = row ? (decode(row.value) as AuthenticationState['creds']) : initAuthCreds();
  const upsert = `INSERT INTO whatsapp_auth (session, key, value) VALUES ($1, $2, $3)
                  ON CONFLICT (session, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
  return {
    state: {
      creds,
      keys: {
        async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
          const rows = await db.query<{ key: string; value: string }>(
            'SELECT key, value FROM whatsapp_auth WHERE session = $1 AND key = ANY($2::text[])',
            [session, ids.map((id) => `${type}-${id}`)],
          );
          const found = new Map(rows.map((r) => [r.key, r.value]));
          const out: { [id: string]: SignalDataTypeMap[T] } = {};
          for (const id of ids) {
            const text = found.get(`${type}-${id}`);
            if (text === undefined) continue;
            let value = decode(text);
            if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
            out[id] = value as SignalDataTypeMap[T];
          }
          return out;
        },
        async set(data: SignalDataSet) {
          await db.transaction(async (sql) => {
            for (const [type, entries] of Object.entries(data)) {
              for (const [id, value] of Object.entries(entries ?? {})) {
                const key = `${type}-${id}`;
                if (value) await sql.query(upsert, [session, key, encode(value)]);
                else await sql.query('DELETE FROM whatsapp_auth WHERE session = $1 AND key = $2', [session, key]);
              }
            }
          });
        },
      },
    },
    async saveCreds() {
      await db.query(upsert, [session, 'creds', encode(creds)]);
    },
    /** After a logout: the next start pairs afresh. */
    async clear() {
      await db.query('DELETE FROM whatsapp_auth WHERE session = $1', [session]);
    },
  };
}

/** WhatsApp's LIDs and the numbers they stand for, as WhatsApp shared them. */
export const lidStore = (db: Database) => ({
  async numberOf(lid: string): Promise<string | null> {
    const [known] = await db.query<{ wa_id: string }>('SELECT wa_id FROM whatsapp_lids WHERE lid = $1', [lid]);
    return known?.wa_id ?? null;
  },
  /** Keeps a LID's number; an account made under the bare LID becomes the number's, unless the number has one already. */
  async learn(lid: string, waId: string): Promise<void> {
    await db.query(`INSERT INTO whatsapp_lids (lid, wa_id) VALUES ($1, $2) ON CONFLICT (lid) DO UPDATE SET wa_id = EXCLUDED.wa_id, updated_at = now()`, [lid, waId]);
    await db.query(`UPDATE users SET wa_id = $2, updated_at = now() WHERE wa_id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE wa_id = $2)`, [`${lid}@lid`, waId]);
  },
});
