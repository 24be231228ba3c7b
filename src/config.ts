import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { ENV_SCHEMA } from './config-env.js';
import type { Locale } from './i18n/index.js';

/** The demo admin of the embedded mode (first start without ADMIN_NUMBERS). */
export const DEMO_ADMIN = '6280000000001';

export interface Config {
  port: number;
  /** Listen address: loopback for the demo transports (web chat, console), every interface otherwise. */
  host: string;
  /** Whose X-Forwarded-* headers to believe: false (nobody), a hop count or proxy addresses. */
  trustProxy: false | number | string[];
  /** The demo surfaces (web chat, Midtrans sandbox pages) answer other machines too (explicit opt-in). */
  demoPublic: boolean;
  publicUrl: string;
  dataDir: string;
  /** Where `kedai backup` writes: BACKUP_DIR, default `backups/` in the project folder (ignored by git), from any working directory. */
  backupDir: string;
  backupIntervalHours: number; // scheduled backups into backupDir every N hours (0 = off), keeping the newest `backupKeep`
  backupKeep: number;
  databaseUrl: string | null;
  /** `move-to-postgres`'s target (TARGET_DATABASE_URL): given here or on standard input, never on the command line. */
  moveTarget: string | null;
  redisUrl: string | null;
  redisPrefix: string;
  rateLimit: { buyPerMin: number; cmdPerMin: number };
  transport: 'webchat' | 'console' | 'cloud' | 'baileys';
  /** Why this configuration must not serve (a real store on demo parts); empty when it may. */
  refusals: string[];
  /** What start-up should say out loud (a demo part on a real database, by the operator's choice). */
  warnings: string[];
  whatsapp: {
    cloudToken?: string;
    phoneNumberId?: string;
    appSecret?: string;
    verifyToken?: string;
    graphUrl: string;
    pairingNumber?: string;
    /** Outbound pace; 0 = unpaced (the web chat and console are not WhatsApp). */
    sendPerSecond: number;
    /** While WhatsApp refuses the sender (token, permission): seconds between probe sends. */
    probeSeconds: number;
    /** Mark inbound messages read once handled. */
    markRead: boolean;
    /** Cloud API: the approved template for messages outside the 24-hour window. */
    noticeTemplate?: { name: string; language: string };
  };
  midtrans: {
    serverKey: string;
    clientKey: string | null;
    isProduction: boolean;
    /**
     * true when no key is set: the built-in sandbox under /sandbox/midtrans answers,
     * with a random key kept in DATA_DIR (serverKey is '' here; see sandboxServerKey).
     */
    sandbox: boolean;
    snapUrl: string;
    apiUrl: string;
    timeoutMs: number;
    attempts: number;
    breakerThreshold: number;
    breakerCooldownMs: number;
  };
  /**
   * Who fulfils top-up products. `digiflazz` with DIGIFLAZZ_USERNAME and _API_KEY;
   * `sandbox` (built in, under /sandbox/digiflazz) for the demo without them;
   * `none` otherwise: top-ups cannot be sold.
   */
  supplier: {
    kind: 'digiflazz' | 'sandbox' | 'none';
    username: string;
    apiKey: string;
    /** Verifies callbacks (X-Hub-Signature); without it a callback only brings its top-up's re-check forward. */
    webhookSecret: string | null;
    url: string;
    testing: boolean;
    timeoutMs: number;
    lowBalance: number;
  };
  /** VIP-Reseller, a second supplier (`vip:` SKUs): with VIPRESELLER_API_ID and _API_KEY, its sandbox in the demo, or none. */
  vip: { kind: 'vipreseller' | 'sandbox' | 'none'; apiId: string; apiKey: string; url: string };
  /** snap: a payment link (every method Midtrans offers); qris: a QR image from the Core API. */
  paymentMethod: 'snap' | 'qris';
  paymentExpiryMinutes: number;
  /** Admins are alerted when a sale takes a product's stock to this (0 = only when sold out). */
  lowStockThreshold: number;
  manualRemindHours: number;
  referralPercent: number;
  adminNumbers: readonly string[];
  demoAdmin: string | null; // set when the embedded mode made up a demo admin
  adminToken: string | null;
  locale: Locale;
  logLevel: string;
  logPretty: boolean;
  metricsToken: string | null; // bearer token for /metrics; unset = this machine only
  statsLogIntervalS: number; // console summary interval; 0 = off
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** The variables of `env` that are set (an empty one means "not set": the .env file's value stands). */
const setIn = (env: Readonly<Record<string, string | undefined>>) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));

/**
 * The `.env` file of the project folder (or ENV_FILE): `NAME=value` lines, read by `npm start`
 * and `npx kedai`; a variable set in the real environment wins over it. It holds secrets, so a
 * file other users could read is made the owner's only (0600), with a warning.
 */
function dotEnv(): { vars: Record<string, string>; notes: string[] } {
  const file = process.env.ENV_FILE || fileURLToPath(new URL('../.env', import.meta.url));
  if (!existsSync(file)) return { vars: {}, notes: [] };
  const notes: string[] = [];
  if (statSync(file).mode & 0o077) {
    try {
      chmodSync(file, 0o600);
      notes.push(`${file} could be read by other users of this machine: its mode is now 0600 (it holds the store's secrets)`);
    } catch {
      notes.push(`${file} can be read by other users of this machine: make it the owner's only (chmod 600 ${file})`);
    }
  }
  return { vars: parseEnv(readFileSync(file, 'utf8')) as Record<string, string>, notes };
}

/**
 * Parses the configuration once: `env`, or the real environment over the `.env` file. A bad
 * value throws a ConfigError naming the variable.
 */
export function loadConfig(env?: Readonly<Record<string, string | undefined>>): Readonly<Config> {
  const file = env ? null : dotEnv();
  const source = env ?? { ...file!.vars, ...setIn(process.env) };
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const transport = e.WHATSAPP_TRANSPORT ?? 'webchat';
  const publicUrl = trimSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const sandbox = e.MIDTRANS_SERVER_KEY === undefined;
  const embedded = e.DATABASE_URL === undefined;
  const demoTransport = transport === 'webchat' || transport === 'console';
  // The demo parts (web chat, the payment sandbox) are the quick start's; a real store gets them only when asked.
  const refusals: string[] = [];
  const warnings: string[] = [...(file?.notes ?? [])];
  // Refused at start (createKedai), but still a configuration the doctor can check the rest of.
  if (transport === 'cloud') {
    const missing = (['WHATSAPP_CLOUD_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const).filter((k) => !e[k]);
    refusals.push(...missing.map((k) => `${k}: required when WHATSAPP_TRANSPORT=cloud`));
  }
  if (!embedded && e.WHATSAPP_TRANSPORT === undefined) {
    refusals.push('WHATSAPP_TRANSPORT: required with DATABASE_URL (cloud or baileys for a real store; webchat only for staging)');
  }
  if (sandbox && !(embedded && demoTransport) && !e.MIDTRANS_SANDBOX) {
    refusals.push(
      'MIDTRANS_SERVER_KEY: required for a real store (DATABASE_URL or a WhatsApp transport); without it the built-in sandbox would take the payments and buyers would get goods free. MIDTRANS_SANDBOX=true allows the sandbox for staging.',
    );
  }
  if (sandbox && e.MIDTRANS_SANDBOX && !(embedded && demoTransport)) warnings.push('MIDTRANS_SANDBOX=true: the built-in payment sandbox takes the payments; no money is real (staging only)');
  if (!embedded && e.WHATSAPP_TRANSPORT === 'webchat') warnings.push('WHATSAPP_TRANSPORT=webchat on a real database: the web chat can act as any number, admins included (staging only)');
  if (e.DEMO_PUBLIC) warnings.push('DEMO_PUBLIC=true: the web chat and the payment sandbox answer other machines');
  // The bot reaches its own sandbox on loopback; buyers reach the pay page through PUBLIC_URL.
  const local = `http://127.0.0.1:${e.PORT}/sandbox/midtrans`;
  const host = e.MIDTRANS_IS_PRODUCTION ? 'midtrans.com' : 'sandbox.midtrans.com';
  // Only the demo gets a made-up admin: on WhatsApp, 6280000000001 could be somebody's real number.
  const [user, key] = e.DIGIFLAZZ_USERNAME === undefined ? ['DIGIFLAZZ_USERNAME', 'DIGIFLAZZ_API_KEY'] : ['DIGIFLAZZ_API_KEY', 'DIGIFLAZZ_USERNAME'];
  if ((e.DIGIFLAZZ_USERNAME === undefined) !== (e.DIGIFLAZZ_API_KEY === undefined)) throw new ConfigError([`${user}: required with ${key}`]);
  // The supplier sandbox hands out made-up serial numbers: only where no money is real (the demo, or a staging payment sandbox).
  const supplierKind = e.DIGIFLAZZ_API_KEY !== undefined ? 'digiflazz' : embedded && (demoTransport || (sandbox && e.MIDTRANS_SANDBOX)) ? 'sandbox' : 'none';
  if ((e.VIPRESELLER_API_ID === undefined) !== (e.VIPRESELLER_API_KEY === undefined)) throw new ConfigError(['VIPRESELLER_API_ID and VIPRESELLER_API_KEY: set both or neither']);
  const vipKind = e.VIPRESELLER_API_KEY !== undefined ? 'vipreseller' : supplierKind === 'sandbox' ? 'sandbox' : 'none';
  if (supplierKind === 'digiflazz' && e.DIGIFLAZZ_WEBHOOK_SECRET === undefined) {
    warnings.push('DIGIFLAZZ_WEBHOOK_SECRET is not set: no Digiflazz callback is trusted, each only brings its top-up\'s re-check through the signed API forward (set the secret in Atur Koneksi > API > Webhook to have callbacks verified)');
  }
  const demoAdmin = embedded && demoTransport && e.ADMIN_NUMBERS === undefined ? DEMO_ADMIN : null;
  if (!demoTransport && e.ADMIN_NUMBERS === undefined) warnings.push('ADMIN_NUMBERS is not set: nobody can run the admin commands from WhatsApp');
  const config: Config = {
    port: e.PORT,
    // 'localhost': every loopback address (127.0.0.1 and ::1), as browsers may try either.
    host: e.HOST ?? (demoTransport ? 'localhost' : '0.0.0.0'),
    trustProxy: e.TRUST_PROXY ?? false,
    demoPublic: e.DEMO_PUBLIC,
    publicUrl,
    dataDir: e.DATA_DIR,
    backupDir: e.BACKUP_DIR ?? fileURLToPath(new URL('../backups', import.meta.url)),
    backupIntervalHours: e.BACKUP_INTERVAL_HOURS,
    backupKeep: e.BACKUP_KEEP,
    databaseUrl: e.DATABASE_URL ?? null,
    moveTarget: e.TARGET_DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    rateLimit: { buyPerMin: e.RATE_LIMIT_BUY_PER_MIN, cmdPerMin: e.RATE_LIMIT_CMD_PER_MIN },
    transport,
    refusals,
    warnings,
    whatsapp: {
      cloudToken: e.WHATSAPP_CLOUD_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      graphUrl: trimSlash(e.WHATSAPP_GRAPH_URL),
      pairingNumber: e.WHATSAPP_PAIRING_NUMBER,
      sendPerSecond: e.WHATSAPP_SEND_PER_SECOND ?? { webchat: 0, console: 0, cloud: 80, baileys: 1 }[transport],
      probeSeconds: e.WHATSAPP_PROBE_SECONDS,
      markRead: e.WHATSAPP_MARK_READ,
      ...(e.WHATSAPP_NOTICE_TEMPLATE
        ? { noticeTemplate: { name: e.WHATSAPP_NOTICE_TEMPLATE.split(':')[0]!, language: e.WHATSAPP_NOTICE_TEMPLATE.split(':')[1]! } }
        : {}),
    },
    midtrans: {
      serverKey: e.MIDTRANS_SERVER_KEY ?? '',
      clientKey: e.MIDTRANS_CLIENT_KEY ?? null,
      isProduction: e.MIDTRANS_IS_PRODUCTION,
      sandbox,
      snapUrl: trimSlash(sandbox ? `${local}/snap/v1` : (e.MIDTRANS_SNAP_URL ?? `https://app.${host}/snap/v1`)),
      apiUrl: trimSlash(sandbox ? `${local}/v2` : (e.MIDTRANS_API_URL ?? `https://api.${host}/v2`)),
      timeoutMs: e.MIDTRANS_TIMEOUT_MS,
      attempts: e.MIDTRANS_ATTEMPTS,
      breakerThreshold: e.MIDTRANS_BREAKER_THRESHOLD,
      breakerCooldownMs: e.MIDTRANS_BREAKER_COOLDOWN_MS,
    },
    supplier: {
      kind: supplierKind,
      username: e.DIGIFLAZZ_USERNAME ?? '',
      apiKey: e.DIGIFLAZZ_API_KEY ?? '',
      webhookSecret: e.DIGIFLAZZ_WEBHOOK_SECRET ?? null,
      url: trimSlash(supplierKind === 'sandbox' ? `http://127.0.0.1:${e.PORT}/sandbox/digiflazz/v1` : e.DIGIFLAZZ_URL),
      testing: e.DIGIFLAZZ_TESTING,
      timeoutMs: e.DIGIFLAZZ_TIMEOUT_MS,
      lowBalance: e.SUPPLIER_LOW_BALANCE,
    },
    vip: {
      kind: vipKind,
      apiId: e.VIPRESELLER_API_ID ?? '',
      apiKey: e.VIPRESELLER_API_KEY ?? '',
      url: trimSlash(vipKind === 'sandbox' ? `http://127.0.0.1:${e.PORT}/sandbox/vipreseller/api` : e.VIPRESELLER_URL),
    },
    paymentMethod: e.PAYMENT_METHOD,
    paymentExpiryMinutes: e.PAYMENT_EXPIRY_MINUTES,
    lowStockThreshold: e.LOW_STOCK_THRESHOLD,
    manualRemindHours: e.MANUAL_REMIND_HOURS,
    referralPercent: e.REFERRAL_PERCENT,
    adminNumbers: e.ADMIN_NUMBERS ?? (demoAdmin ? [demoAdmin] : []),
    demoAdmin,
    adminToken: e.ADMIN_TOKEN ?? null,
    locale: e.LOCALE,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
    metricsToken: e.METRICS_TOKEN ?? null,
    statsLogIntervalS: e.STATS_LOG_INTERVAL_S,
  };
  return Object.freeze(config);
}

/**
 * The configuration as far as it can be read: a setting that cannot be read is reported
 * and left out (its default takes its place), so every other check still runs.
 */
export function readableConfig(env?: Readonly<Record<string, string | undefined>>): { config: Readonly<Config>; unreadable: string[] } {
  const rest: Record<string, string | undefined> = { ...(env ?? { ...dotEnv().vars, ...setIn(process.env) }) };
  const unreadable: string[] = [];
  for (let round = 0; round < 20; round++) {
    try {
      return { config: loadConfig(rest), unreadable };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const before = unreadable.length;
      for (const problem of err.problems) {
        unreadable.push(problem);
        // `NAME: why`, or `NAME: required with OTHER`: the named setting (or the one it depends on) is left out.
        const named = /^([A-Z][A-Z0-9_]*)/.exec(problem)?.[1];
        const other = /required with ([A-Z][A-Z0-9_]*)/.exec(problem)?.[1];
        if (named && rest[named]) delete rest[named];
        else if (other) delete rest[other];
      }
      if (unreadable.length === before) break;
    }
  }
  return { config: loadConfig({}), unreadable };
}
