import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import type { Store, StoreInfo } from './ports.js';

/** Settings an admin edits in the dashboard, with what each falls back to. */
export interface Defaults {
  paymentExpiryMinutes: number;
  rateLimitBuyPerMin: number;
  rateLimitCmdPerMin: number;
}

export const SETTING_KEYS = ['store_name', 'welcome_text', 'contact_text', 'opening_hours', 'payment_info', 'payment_expiry_minutes', 'rate_limit_buy_per_min', 'rate_limit_cmd_per_min', 'command_prefixes', 'topup_below_cost'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];


/** `.setinfo KEY TEXT`: the words a seller types (Indonesian first) → the setting. */
export const INFO_KEYS: Readonly<Record<string, SettingKey>> = {
  nama: 'store_name',
  name: 'store_name',
  sambutan: 'welcome_text',
  welcome: 'welcome_text',
  kontak: 'contact_text',
  cs: 'contact_text',
  contact: 'contact_text',
  jam: 'opening_hours',
  hours: 'opening_hours',
  bayar: 'payment_info',
  pembayaran: 'payment_info',
  payment: 'payment_info',
  // Top-ups below their supplier cost (a voucher, a role price): refused unless the seller says `ya`.
  jualrugi: 'topup_below_cost',
  belowcost: 'topup_below_cost',
};

const DEFAULT_PREFIXES = ['.', '!', '/'];

/**
 * The settings every message needs, kept in memory so the hot path reads no
 * database and no cache: loaded at start, reloaded at once after a change in
 * this process and every 30 s for changes made by another process. The
 * environment gives the defaults.
 */
export class LiveSettings {
  private values: Record<string, string> = {};

  constructor(
    private readonly store: Store,
    private readonly defaults: Defaults,
  ) {}

  async refresh(): Promise<void> {
    this.values = await this.store.autocommit.settings.all();
  }

  private int(key: SettingKey, fallback: number): number {
    const n = Number(this.values[key]);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  }

  get raw(): Readonly<Record<string, string>> {
    return this.values;
  }
  get storeName(): string {
    return this.values.store_name ?? '';
  }
  get welcomeText(): string {
    return this.values.welcome_text ?? '';
  }
  /** What `.menu`, `.info`, `.cs` tell buyers about the store (empty = not set). */
  get storeInfo(): StoreInfo {
    const v = this.values;
    return { name: v.store_name ?? '', welcome: v.welcome_text ?? '', contact: v.contact_text ?? '', hours: v.opening_hours ?? '', payment: v.payment_info ?? '' };
  }
  get paymentExpiryMinutes(): number {
    return this.int('payment_expiry_minutes', this.defaults.paymentExpiryMinutes);
  }
  get buyPerMin(): number {
    return this.int('rate_limit_buy_per_min', this.defaults.rateLimitBuyPerMin);
  }
  get cmdPerMin(): number {
    return this.int('rate_limit_cmd_per_min', this.defaults.rateLimitCmdPerMin);
  }
  get prefixes(): string[] {
    const chars = [...(this.values.command_prefixes ?? '')].filter((c) => /[.!/#$%&*+,:;?~-]/.test(c));
    return chars.length ? chars : DEFAULT_PREFIXES;
  }
}

const RULES: Record<SettingKey, (v: string) => boolean> = {
  store_name: (v) => v.length <= 60,
  welcome_text: (v) => v.length <= 1000,
  contact_text: (v) => v.length <= 1000,
  opening_hours: (v) => v.length <= 300,
  payment_info: (v) => v.length <= 1000,
  payment_expiry_minutes: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10_080,
  rate_limit_buy_per_min: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10_000,
  rate_limit_cmd_per_min: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000,
  command_prefixes: (v) => /^[.!/#$%&*+,:;?~-]{1,5}$/.test(v),
  topup_below_cost: (v) => /^(ya|tidak|yes|no)$/i.test(v),
};

/** Saves the dashboard's settings form; an empty field returns the setting to its default. */
export async function updateSettings(deps: AppDeps, values: Partial<Record<SettingKey, string>>): Promise<void> {
  for (const key of SETTING_KEYS) {
    const v = values[key]?.trim();
    if (v && !RULES[key](v)) throw new DomainError('INVALID_INPUT', { command: key });
  }
  await deps.store.transaction(async (r) => {
    for (const key of SETTING_KEYS) {
      if (key in values) await r.settings.set(key, values[key]?.trim() || null);
    }
  });
}
