import { z } from 'zod';
import { normaliseNumber } from './domain/phone.js';

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

/**
 * Every environment variable kedai reads: its name, its default and how its text is read
 * (README, Configuration). What they mean together (the safe defaults, the demo's parts,
 * the supplier's mode) is decided in config.ts.
 */
export const ENV_SCHEMA = z.object({
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
  VIPRESELLER_API_ID: z.string().min(1).max(100).optional(),
  VIPRESELLER_API_KEY: z.string().min(8).max(200).optional(),
  VIPRESELLER_URL: z.url().default('https://vip-reseller.co.id/api'),
  SUPPLIER_LOW_BALANCE: z.coerce.number().int().min(0).max(1_000_000_000_000).default(100_000),
  PAYMENT_METHOD: z.enum(['snap', 'qris']).default('snap'),
  PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(10080).default(15),
  REFERRAL_PERCENT: z.coerce.number().min(0).max(50).default(0),
  MANUAL_REMIND_HOURS: z.coerce.number().int().min(1).max(720).default(6),
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
