import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';

/*
 * Referral (docs/flow.md): with REFERRAL_PERCENT above 0, every buyer has a code (`.referral`).
 * A buyer with no delivered purchase joins once with `.ref KODE` (never their own code, never a
 * circle). For each delivered purchase of a referred buyer the referrer is credited the
 * percentage of its total, rounded down, once per order (the commissions table's key), as a
 * `commission` ledger entry with a chat notice. A purchase later refunded or reversed takes it
 * back as far as the referrer's balance allows; the rest is recorded as owed. Deposits earn
 * nothing. A worker does both, so every delivery path (the one-statement purchase included)
 * is covered, and a crash only delays it.
 */

const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `.referral`: the buyer's code (made at the first ask) and what it has earned. */
export async function referralOf(deps: AppDeps, waId: string, name: string): Promise<{ code: string; earned: number; referred: number }> {
  if (deps.settings.referralPercent <= 0) throw new DomainError('REFERRAL_OFF');
  const r = deps.store.autocommit;
  let user = await r.users.upsert(waId, name);
  for (let i = 0; !user.refCode && i < 5; i++) {
    // Seven characters from an alphabet without look-alikes (0/O, 1/I).
    const hex = (deps.randomHex() + deps.randomHex() + deps.randomHex()).padEnd(14, '0');
    const code = Array.from(hex.slice(0, 14).match(/../g) ?? [], (h) => CODE_CHARS[parseInt(h, 16) % CODE_CHARS.length]).join('');
    await r.referrals.setCode(user.userId, code);
    user = (await r.users.find(waId))!;
  }
  const stats = await r.referrals.stats(user.userId);
  return { code: user.refCode ?? '', earned: stats.earned, referred: stats.referred };
}

/** `.ref KODE`: joins the referrer once; refused (nothing changes) for an own code, a circle, a buyer who already bought or joined. */
export async function joinReferral(deps: AppDeps, waId: string, name: string, code: string): Promise<string> {
  if (deps.settings.referralPercent <= 0) throw new DomainError('REFERRAL_OFF');
  const wanted = code.trim().toUpperCase();
  return deps.store.transaction(async (r) => {
    // The upsert locks the buyer's row: two `.ref` at once run one after the other.
    const user = await r.users.upsert(waId, name);
    if (user.referredBy) throw new DomainError('REF_ALREADY');
    const referrer = /^[A-Z0-9]{6,12}$/.test(wanted) ? await r.referrals.byCode(wanted) : null;
    if (!referrer) throw new DomainError('REF_UNKNOWN', { code: wanted.slice(0, 20) });
    if (referrer.userId === user.userId) throw new DomainError('REF_SELF');
    if ((await r.referrals.chain(referrer.userId, 50)).includes(user.userId)) throw new DomainError('REF_CIRCLE');
    if (await r.referrals.hasDelivered(user.userId)) throw new DomainError('REF_TOO_LATE');
    if (!(await r.referrals.join(user.userId, referrer.userId))) throw new DomainError('REF_ALREADY');
    return referrer.waId;
  });
}

/** Pays the commissions due and takes back those of refunded or reversed purchases; how many moved. */
export async function settleCommissions(deps: AppDeps): Promise<number> {
  const percent = deps.settings.referralPercent;
  let moved = 0;
  if (percent > 0) {
    for (const due of await deps.store.autocommit.referrals.due(50)) {
      const amount = Math.floor((due.total * percent) / 100);
      if (amount <= 0) continue;
      moved += await deps.store.transaction(async (r) => {
        if (!(await r.referrals.record(due.orderId, due.referrerId, percent, amount))) return 0;
        const referrer = await r.users.lock(due.referrerId);
        const balance = await r.ledger.append({ userId: due.referrerId, amount, kind: 'commission', note: `commission for ${due.publicId}` });
        await r.outbox.enqueue({ to: referrer.waId, text: deps.texts.commissionPaid(due.publicId, amount, balance), kind: 'notice' });
        return 1;
      });
    }
  }
  moved += await deps.store.transaction(async (r) => {
    let n = 0;
    for (const back of await r.referrals.dueBack(50)) {
      const referrer = await r.users.lock(back.referrerId);
      const taken = Math.min(back.amount, Math.max(0, referrer.balance));
      if (taken > 0) await r.ledger.append({ userId: back.referrerId, amount: -taken, kind: 'commission_back', note: `commission of ${back.publicId} taken back` });
      await r.referrals.markTakenBack(back.orderId, taken, back.amount - taken);
      await r.outbox.enqueue({ to: referrer.waId, text: deps.texts.commissionTakenBack(back.publicId, taken, back.amount - taken), kind: 'notice' });
      n++;
    }
    return n;
  });
  return moved;
}
