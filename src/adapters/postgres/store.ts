import type { Repos, Store } from '../../app/ports.js';
import type { Database, Sql } from './db.js';
import { productsRepo } from './repos/products.js';
import { ledgerRepo, paymentEventsRepo } from './repos/money.js';
import { ordersRepo } from './repos/orders.js';
import { outboxRepo } from './repos/outbox.js';
import { stockRepo } from './repos/stock.js';
import { usersRepo } from './repos/users.js';

const reposOn = (sql: Sql, onEnqueue: () => void): Repos => ({
  users: usersRepo(sql),
  products: productsRepo(sql),
  stock: stockRepo(sql),
  orders: ordersRepo(sql),
  ledger: ledgerRepo(sql),
  payments: paymentEventsRepo(sql),
  outbox: outboxRepo(sql, onEnqueue),
});

/**
 * The PostgreSQL store (pg or PGlite). `onOutbox` runs after a commit that wrote
 * outbox rows, so the dispatcher sends them at once instead of at its next poll.
 */
export function createStore(db: Database, onOutbox: () => void = () => undefined): Store {
  return {
    read: reposOn(db, onOutbox),
    async transaction(fn) {
      let wroteOutbox = false;
      const result = await db.transaction((sql) => fn(reposOn(sql, () => (wroteOutbox = true))));
      if (wroteOutbox) onOutbox();
      return result;
    },
  };
}
