import { z } from 'zod';
import type { Locale } from './i18n/index.js';

/** The key the built-in sandbox accepts. Not a secret: it only opens the local fake. */
export const SANDBOX_SERVER_KEY = 'SB-Mid-server-kedai-local-sandbox';
/** The demo admin of the embedded mode (first start without ADMIN_NUMBERS). */
export const DEMO_ADMIN = '6280000000001';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const number = z.string().regex(/^\d{5,20}$/, 'digits only, e.g. 6281234567890');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default('kedai:'),
  RATE_LIMIT_BUY_PER_MIN: z.coerce.number().int().min(1).max(10_000).default(3),
  RATE_LIMIT_CMD_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(20),
  WHATSAPP_TRANSPORT: z.enum(['webchat', 'console', 'cloud', 'baileys']).default('webchat'),
  WHATSAPP_CLOUD_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com/v21.0'),
  WHATSAPP_PAIRING_NUMBER: z.string().regex(/^\d{5,20}$/, 'digits only, e.g. 6281234567890').optional(),
  WHATSAPP_SEND_PER_SECOND: z.coerce.number().min(0).max(1000).optional(),
  MIDTRANS_SERVER_KEY: z.string().min(10).optional(),
  MIDTRANS_CLIENT_KEY: z.string().optional(),
  MIDTRANS_IS_PRODUCTION: flag.default(false),
  MIDTRANS_SNAP_URL: z.url().optional(),
  MIDTRANS_API_URL: z.url().optional(),
  MIDTRANS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(6_000),
  MIDTRANS_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  MIDTRANS_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1_000).default(5),
  MIDTRANS_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  PAYMENT_METHOD: z.enum(['snap', 'qris']).default('snap'),
  PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(10080).default(15),
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).max(1_000_000).default(3),
  ADMIN_NUMBERS: z
    .string()
    .transform((s) => s.split(',').map((n) => n.trim()).filter(Boolean))
    .pipe(z.array(number))
    .optional(),
  ADMIN_TOKEN: z.string().min(8).optional(),
  LOCALE: z.enum(['id', 'en']).default('id'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: flag.default(false),
  METRICS_TOKEN: z.string().min(8).optional(),
  STATS_LOG_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(60),
});

export interface Config {
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  redisPrefix: string;
  rateLimit: { buyPerMin: number; cmdPerMin: number };
  transport: 'webchat' | 'console' | 'cloud' | 'baileys';
  whatsapp: {
    cloudToken?: string;
    phoneNumberId?: string;
    appSecret?: string;
    verifyToken?: string;
    graphUrl: string;
    pairingNumber?: string;
    /** Outbound pace; 0 = unpaced (the web chat and console are not WhatsApp). */
    sendPerSecond: number;
  };
  midtrans: {
    serverKey: string;
    clientKey: string | null;
    isProduction: boolean;
    /** true when no key is set: the built-in sandbox under /sandbox/midtrans answers. */
    sandbox: boolean;
    snapUrl: string;
    apiUrl: string;
    timeoutMs: number;
    attempts: number;
    breakerThreshold: number;
    breakerCooldownMs: number;
  };
  /** snap: a payment link (every method Midtrans offers); qris: a QR image from the Core API. */
  paymentMethod: 'snap' | 'qris';
  paymentExpiryMinutes: number;
  /** Admins are alerted when a sale takes a product's stock to this (0 = only when sold out). */
  lowStockThreshold: number;
  adminNumbers: readonly string[];
  /** Set when the embedded mode made up a demo admin. */
  demoAdmin: string | null;
  adminToken: string | null;
  locale: Locale;
  logLevel: string;
  logPretty: boolean;
  /** Bearer token for /metrics; unset = open (keep it behind your network). */
  metricsToken: string | null;
  /** Console summary interval; 0 = off. */
  statsLogIntervalS: number;
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
  if (e.WHATSAPP_TRANSPORT === 'cloud') {
    const missing = (['WHATSAPP_CLOUD_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const).filter((k) => !e[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when WHATSAPP_TRANSPORT=cloud`));
  }
  const publicUrl = trimSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const sandbox = e.MIDTRANS_SERVER_KEY === undefined;
  // The bot reaches its own sandbox on loopback; buyers reach the pay page through PUBLIC_URL.
  const local = `http://127.0.0.1:${e.PORT}/sandbox/midtrans`;
  const host = e.MIDTRANS_IS_PRODUCTION ? 'midtrans.com' : 'sandbox.midtrans.com';
  const embedded = e.DATABASE_URL === undefined;
  const demoAdmin = embedded && e.ADMIN_NUMBERS === undefined ? DEMO_ADMIN : null;
  const config: Config = {
    port: e.PORT,
    publicUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    rateLimit: { buyPerMin: e.RATE_LIMIT_BUY_PER_MIN, cmdPerMin: e.RATE_LIMIT_CMD_PER_MIN },
    transport: e.WHATSAPP_TRANSPORT,
    whatsapp: {
      cloudToken: e.WHATSAPP_CLOUD_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      graphUrl: trimSlash(e.WHATSAPP_GRAPH_URL),
      pairingNumber: e.WHATSAPP_PAIRING_NUMBER,
      sendPerSecond: e.WHATSAPP_SEND_PER_SECOND ?? { webchat: 0, console: 0, cloud: 20, baileys: 1 }[e.WHATSAPP_TRANSPORT],
    },
    midtrans: {
      serverKey: e.MIDTRANS_SERVER_KEY ?? SANDBOX_SERVER_KEY,
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
