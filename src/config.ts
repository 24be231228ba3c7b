import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { normaliseNumber } from './domain/phone.js';
import type { Locale } from './i18n/index.js';

/** The demo admin of the embedded mode (first start without ADMIN_NUMBERS). */
export const DEMO_ADMIN = '6280000000001';
/** Shorter dashboard tokens can be guessed; `npx kedai token` prints a strong one. */
export const MIN_ADMIN_TOKEN = 24;

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const number = z.string().transform((s, ctx) => normaliseNumber(s) ?? (ctx.addIssue({ code: 'custom', message: `not a WhatsApp number: ${s.slice(0, 24)} (e.g. 6281234567890)` }), z.NEVER));
/** A hop count (`1`: one proxy in front) or the proxies' addresses (`127.0.0.1,10.0.0.0/8`). */
const trustProxy = z.string().transform((s, ctx): number | string[] => {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const list = s.split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length && list.every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) return list;
  ctx.addIssue({ code: 'custom', message: 'a hop count (e.g. 1) or proxy addresses (e.g. 127.0.0.1,10.0.0.0/8)' });
  return z.NEVER;
});

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().regex(/^[0-9a-zA-Z.:-]{1,253}$/, 'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0').optional(),
  TRUST_PROXY: trustProxy.optional(),
  DEMO_PUBLIC: flag.default(false),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  BACKUP_DIR: z.string().min(1).optional(),
  // At most 24 days: a longer timer overflows Node's 32-bit delay and fires at once.
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).max(576).default(0),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  TARGET_DATABASE_URL: z.string().max(2000).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default('kedai:'),
  RATE_LIMIT_BUY_PER_MIN: z.coerce.number().int().min(1).max(10_000).default(3),
  RATE_LIMIT_CMD_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(20),
  WHATSAPP_TRANSPORT: z.enum(['webchat', 'console', 'cloud', 'baileys']).optional(),
  WHATSAPP_CLOUD_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com/v21.0'),
  WHATSAPP_PAIRING_NUMBER: number.optional(),
  WHATSAPP_SEND_PER_SECOND: z.coerce.number().min(0).max(1000).optional(),
  WHATSAPP_PROBE_SECONDS: z.coerce.number().min(1).max(600).default(15),
  WHATSAPP_MARK_READ: flag.default(true),
  WHATSAPP_NOTICE_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}:[A-Za-z_]{2,10}$/, 'NAME:LANGUAGE of an approved template with one body parameter, e.g. kedai_notice:id')
    .optional(),
  MIDTRANS_SERVER_KEY: z.string().min(10).optional(),
  MIDTRANS_SANDBOX: flag.default(false),
  MIDTRANS_CLIENT_KEY: z.string().optional(),
  MIDTRANS_IS_PRODUCTION: flag.default(false),
  MIDTRANS_SNAP_URL: z.url().optional(),
  MIDTRANS_API_URL: z.url().optional(),
  MIDTRANS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(6_000),
  MIDTRANS_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  MIDTRANS_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1_000).default(5),
  MIDTRANS_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  DIGIFLAZZ_USERNAME: z.string().min(1).max(100).optional(),
  DIGIFLAZZ_API_KEY: z.string().min(8).max(200).optional(),
  DIGIFLAZZ_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters (npx kedai token prints one)').max(200).optional(),
  DIGIFLAZZ_URL: z.url().default('https://api.digiflazz.com/v1'),
  DIGIFLAZZ_TESTING: flag.default(false),
  DIGIFLAZZ_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  SUPPLIER_LOW_BALANCE: z.coerce.number().int().min(0).max(1_000_000_000_000).default(100_000),
  PAYMENT_METHOD: z.enum(['snap', 'qris']).default('snap'),
  PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(10080).default(15),
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).max(1_000_000).default(3),
  ADMIN_NUMBERS: z
    .string()
    .transform((s) => s.split(',').map((n) => n.trim()).filter(Boolean))
    .pipe(z.array(number))
    .optional(),
  ADMIN_TOKEN: z
    .string()
    .min(MIN_ADMIN_TOKEN, `at least ${MIN_ADMIN_TOKEN} characters; \`npx kedai token\` prints a strong one`)
    .optional(),
  LOCALE: z.enum(['id', 'en']).default('id'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: flag.default(false),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters; `npx kedai token` prints a strong one').optional(),
  STATS_LOG_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(60),
});

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
  /** snap: a payment link (every method Midtrans offers); qris: a QR image from the Core API. */
  paymentMethod: 'snap' | 'qris';
  paymentExpiryMinutes: number;
  /** Admins are alerted when a sale takes a product's stock to this (0 = only when sold out). */
  lowStockThreshold: number;
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

/** Parses the environment once. A bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<Config> {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const transport = e.WHATSAPP_TRANSPORT ?? 'webchat';
  if (transport === 'cloud') {
    const missing = (['WHATSAPP_CLOUD_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const).filter((k) => !e[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when WHATSAPP_TRANSPORT=cloud`));
  }
  const publicUrl = trimSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const sandbox = e.MIDTRANS_SERVER_KEY === undefined;
  const embedded = e.DATABASE_URL === undefined;
  const demoTransport = transport === 'webchat' || transport === 'console';
  // The demo parts (web chat, the payment sandbox) are the quick start's; a real store gets them only when asked.
  const refusals: string[] = [];
  const warnings: string[] = [];
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
    paymentMethod: e.PAYMENT_METHOD,
    paymentExpiryMinutes: e.PAYMENT_EXPIRY_MINUTES,
    lowStockThreshold: e.LOW_STOCK_THRESHOLD,
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
