import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, backends, orderIdIn, startKedai, stockProduct, type Harness, said } from './helpers.js';

const GROUP = '120363000000001@g.us';

describe.each(backends)('groups on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'GRP', 5_000, ['GROUP-GOODS-1']);
  });
  afterAll(async () => h?.stop());

  const inGroup = async (from: string, text: string) => {
    expect((await h.post('/chat/api/send', { from, text, group: GROUP })).status).toBe(202);
    await h.kedai.settle();
  };

  it('answers commands in the group, and sends the payment link and the goods privately', async () => {
    const buyer = '6289200000001';
    await inGroup(buyer, 'siapa yang jual akun?');
    expect(await h.sentTo(GROUP)).toEqual([]);
    await inGroup(buyer, '.produk');
    expect(await h.last(GROUP)).toContain('GRP');
    await inGroup(buyer, '.buynow GRP');
    const link = await h.last(buyer);
    const orderId = orderIdIn(link);
    expect((await h.sentTo(GROUP)).some((t) => t.includes(orderId))).toBe(false);
    await h.kedai.sandbox!.setStatus(orderId, 'settlement');
    await h.kedai.settle();
    expect((await h.sentTo(buyer)).filter((t) => t.includes('GROUP-GOODS-1'))).toHaveLength(1);
    expect((await h.sentTo(GROUP)).some((t) => t.includes('GROUP-GOODS-1'))).toBe(false);
  });

  it('.grup off silences the bot in that group until an admin turns it on; only admins may', async () => {
    const member = '6289200000002';
    await inGroup(member, '.grup off');
    expect(await h.last(GROUP)).toBe(said('NOT_ADMIN'));
    await inGroup(ADMIN, '.grup off');
    expect(await h.last(GROUP)).toContain('Bot dimatikan');
    const before = (await h.sentTo(GROUP)).length;
    await inGroup(member, '.produk');
    await inGroup(ADMIN, '.menu');
    expect((await h.sentTo(GROUP)).length).toBe(before);
    // Private chats are unaffected.
    await h.chat(member, '.produk');
    expect(await h.last(member)).toContain('GRP');
    await inGroup(ADMIN, '.grup on');
    await inGroup(member, '.produk');
    expect(await h.last(GROUP)).toContain('GRP');
    await h.chat(ADMIN, '.grup off');
    expect(await h.last(ADMIN)).toBe(said('INVALID_INPUT', { command: 'grup' }));
  });
});
