import { cutAt } from '../../../domain/text.js';
import type { Sql } from '../db.js';

/** One `.buy` for the one-statement purchase (OrderRepo.buyWithBalance's input). */
export interface BuyArgs {
  waId: string;
  name: string;
  code: string;
  qty: number;
  publicId: string;
  before: string;
  after: string;
  tokens: { name: string; total: string; left: string };
}

/** buy_with_balance's row, or `sold_out` with what was left in `detail`. */
export interface BuyRow {
  result: string;
  detail: string | null;
  order_id: unknown;
  balance_after: unknown;
  remaining: unknown;
  product_id: unknown;
  product_name: string;
  unit_price: unknown;
}

interface Waiter {
  args: BuyArgs;
  resolve(row: BuyRow | undefined): void;
  reject(err: unknown): void;
}

/** One lane for every product: a group mixes products (ordered by code), so 16 products' buyers share commits as one product's do. */
const LANE = 'all';

/** Purchases in one statement at most (what one statement's rows and texts hold in memory at once). */
export const MAX_BATCH = 32;

/**
 * Balance purchases grouped per product, like a group commit (migration 036): a product's
 * first buyer goes at once, as one buy_with_balance; the buyers of that product who arrive
 * while it is in flight wait and go together as one buy_many, one statement and one commit
 * (a product sells one commit at a time, so a busy product's buyers shared one WAL flush
 * instead of queueing for one each). Each buyer gets their own row, exactly as alone. If the
 * group fails as a whole (a deadlock, a connection lost), each of its buyers is tried alone.
 */
export function buyBatcher(sql: Sql): (args: BuyArgs) => Promise<BuyRow | undefined> {
  const lanes = new Map<string, Waiter[]>();
  const busy = new Set<string>();

  /** A sold-out buyer is an answer (`sold_out`, what was left in `detail`), not an error (migration 037). */
  const single = async (a: BuyArgs): Promise<BuyRow | undefined> => {
    const [row] = await sql.query<BuyRow>('SELECT * FROM buy_with_balance($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
      a.waId,
      cutAt(a.name, 100),
      a.code,
      a.qty,
      a.publicId,
      a.before,
      a.after,
      a.tokens.name,
      a.tokens.total,
      a.tokens.left,
    ]);
    return row;
  };

  const many = async (group: Waiter[]): Promise<void> => {
    // By product: every group takes the products' counters in one order, so two groups (two processes) never wait on each other in a cycle.
    const key = (w: Waiter) => w.args.code.toUpperCase();
    const batch = [...group].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    const buys = batch.map(({ args: a }) => ({
      wa: a.waId,
      name: cutAt(a.name, 100),
      code: a.code,
      qty: a.qty,
      id: a.publicId,
      before: a.before,
      after: a.after,
      tn: a.tokens.name,
      tt: a.tokens.total,
      tl: a.tokens.left,
    }));
    let rows: (BuyRow & { i: number })[];
    try {
      rows = await sql.query<BuyRow & { i: number }>('SELECT * FROM buy_many($1::jsonb)', [JSON.stringify(buys)]);
    } catch {
      // Nothing of the group was committed: each buyer alone, in order.
      for (const w of batch) await single(w.args).then(w.resolve, w.reject);
      return;
    }
    batch.forEach((w, k) => w.resolve(rows.find((r) => r.i === k + 1)));
  };

  const flush = async (code: string): Promise<void> => {
    const queue = lanes.get(code);
    if (busy.has(code) || !queue?.length) return;
    busy.add(code);
    const batch = queue.splice(0, MAX_BATCH);
    try {
      if (batch.length === 1) await single(batch[0]!.args).then(batch[0]!.resolve, batch[0]!.reject);
      else await many(batch);
    } finally {
      busy.delete(code);
      if (queue.length) void flush(code);
      else lanes.delete(code);
    }
  };

  return (args) =>
    new Promise<BuyRow | undefined>((resolve, reject) => {
      const code = LANE;
      const queue = lanes.get(code) ?? [];
      lanes.set(code, queue);
      queue.push({ args, resolve, reject });
      void flush(code);
    });
}
