import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateSettings } from '../src/app/live-settings.js';
import { backends, orderIdIn, startKedai, stockProduct, type Harness } from './helpers.js';

describe.each(backends)('settings the seller changes without a restart, on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startKedai(backend);
    await stockProduct(h, 'SET', 1_000, ['S-1', 'S-2', 'S-3']);
  });
  afterAll(async () => h?.stop());

  it('store name and welcome text head the menu', async () => {
    await updateSettings(h.kedai.deps, { store_name: 'Toko Maju', welcome_text: 'Buka 24 jam!' });
    await h.chat('6289500000001', '.menu');
    expect(await h.last('6289500000001')).toMatch(/^\*Toko Maju\*\nBuka 24 jam!\n\n\*Menu\*/);
  });

  it('the payment expiry goes to Snap and to the order', async () => {
    await updateSettings(h.kedai.deps, { payment_expiry_minutes: '30' });
    await h.chat('6289500000002', '.buynow SET');
    const orderId = orderIdIn(await h.last('6289500000002'));
    expect(h.kedai.sandbox!.transactions.get(orderId)!.request).toMatchObject({ expiry: { unit: 'minute', duration: 30 } });
    const { minutes } = await h.one<{ minutes: unknown }>(`SELECT round(extract(epoch FROM expires_at - created_at) / 60) AS minutes FROM orders WHERE public_id = $1`, [orderId]);
    expect(Number(minutes)).toBe(30);
    await h.chat('6289500000002', '.batal');
  });

  it('the rate limit follows the setting', async () => {
    await updateSettings(h.kedai.deps, { rate_limit_cmd_per_min: '2' });
    for (let i = 0; i < 4; i++) await h.chat('6289500000003', '.produk');
    const inbox = await h.sentTo('6289500000003');
    expect(inbox.filter((t) => t.includes('SET'))).toHaveLength(2);
    expect(inbox.filter((t) => t.includes('Terlalu banyak pesan'))).toHaveLength(1);
    await updateSettings(h.kedai.deps, { rate_limit_cmd_per_min: '' });
  });

  it('the command prefixes follow the setting', async () => {
    await updateSettings(h.kedai.deps, { command_prefixes: '#' });
    await h.chat('6289500000004', '.menu');
    expect(await h.sentTo('6289500000004')).toEqual([]);
    await h.chat('6289500000004', '#menu');
    expect(await h.last('6289500000004')).toContain('#produk');
    await updateSettings(h.kedai.deps, { command_prefixes: '' });
    await h.chat('6289500000004', '.menu');
    expect(await h.last('6289500000004')).toContain('.produk');
  });

  it('refuses a bad value and changes nothing', async () => {
    const before = h.kedai.live.paymentExpiryMinutes;
    await expect(updateSettings(h.kedai.deps, { payment_expiry_minutes: '0' })).rejects.toThrow(/INVALID_INPUT/);
    await expect(updateSettings(h.kedai.deps, { command_prefixes: 'abc' })).rejects.toThrow(/INVALID_INPUT/);
    expect(h.kedai.live.paymentExpiryMinutes).toBe(before);
  });
});
