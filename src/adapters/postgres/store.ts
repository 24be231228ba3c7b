import type { Repos, Store } from '../../app/ports.js';
import { announceChanges, type ReportChange } from './changes.js';
import type { Database, Sql } from './db.js';
import { adminSessionsRepo } from './repos/admin-sessions.js';
import { productsRepo } from './repos/products.js';
import { paymentEventsRepo } from './repos/payment-events.js';
import { ledgerRepo } from './repos/ledger.js';
import { ordersRepo } from './repos/orders.js';
import { outboxRepo } from './repos/outbox.js';
import { stockRepo } from './repos/stock.js';
import { reportsRepo } from './repos/reports.js';
import { settingsRepo } from './repos/settings.js';
import { usersRepo } from './repos/users.js';
import { vouchersRepo } from './repos/vouchers.js';
import { supplierRepo } from './repos/supplier.js';
import { confirmationRepo } from './repos/confirmations.js';
import { wishRepo } from './repos/wishes.js';
import { claimRepo } from './repos/claims.js';
import { referralRepo } from './repos/referrals.js';

const reposOn = (sql: Sql, onEnqueue: () => void, changed: ReportChange, autocommit = false): Repos => ({
  adminSessions: adminSessionsRepo(sql),
  reports: reportsRepo(sql),
  settings: settingsRepo(sql, changed),
  users: usersRepo(sql, changed, autocommit),
  products: productsRepo(sql, changed),
  stock: stockRepo(sql, changed, onEnqueue),
  orders: ordersRepo(sql, onEnqueue),
  ledger: ledgerRepo(sql, changed),
  payments: paymentEventsRepo(sql),
  outbox: outboxRepo(sql, onEnqueue),
  vouchers: vouchersRepo(sql),
  supplier: supplierRepo(sql, changed),
  confirmations: confirmationRepo(sql),
  wishes: wishRepo(sql),
  claims: claimRepo(sql),
  referrals: referralRepo(sql),
});

export interface StoreHooks {
  /** After a commit that wrote outbox rows: the dispatcher sends them now instead of at its next poll. */
  onOutbox?: () => void;
  /**
   * After a commit that changed the catalogue, a user or the settings (`catalogue`,
   * `user:<waId>`, `settings`); awaited, so the caller's next read sees the change.
   */
  onChange?: (changes: string[]) => Promise<void>;
  /**
   * Also tell other processes (the running bot) through PostgreSQL (`changes.ts`): set by the
   * CLI, whose writes must reach the bot's cache at once. The bot itself does not announce.
   */
  announce?: boolean;
}

/** The PostgreSQL store. Hooks run only after the commit, never for a rolled-back write. */
export function createStore(db: Database, hooks: StoreHooks = {}): Store {
  const { onOutbox = () => undefined, onChange = async () => undefined, announce = false } = hooks;
  // Outside a transaction a write commits at once; its change is reported in the background.
  // Use cases that need the next read to see a write use a transaction.
  const autocommit = reposOn(
    db,
    onOutbox,
    (change) => {
      void onChange([change]).catch(() => undefined);
      if (announce) void announceChanges(db, [change]).catch(() => undefined);
    },
    true,
  );
  return {
    autocommit,
    async transaction(fn) {
      let wroteOutbox = false;
      const changes = new Set<string>();
      const result = await db.transaction(async (sql) => {
        const value = await fn(
          reposOn(
            sql,
            () => (wroteOutbox = true),
            (change) => changes.add(change),
          ),
        );
        // Sent with the commit, never for a rolled-back write.
        if (announce) await announceChanges(sql, [...changes]);
        return value;
      });
      if (wroteOutbox) onOutbox();
      if (changes.size) await onChange([...changes]);
      return result;
    },
  };
}
