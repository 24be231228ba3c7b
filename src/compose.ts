import { settleCommissions } from './app/referral.js';
import { remindByHand } from './app/by-hand.js';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.js';
import { connectPg, type Database } from './adapters/postgres/db.js';
import { openEmbeddedStore } from './adapters/postgres/embedded-store.js';
import { migrate } from './adapters/postgres/migrate.js';
import { lockDataDir } from './adapters/postgres/data-lock.js';
import { movedAway } from './adapters/postgres/move.js';
import { storeGauges } from './adapters/postgres/gauges.js';
import { pgDedupe } from './adapters/postgres/repos/inbound.js';
import { outboxQueue } from './adapters/postgres/repos/outbox.js';
import { midtransGateway } from './adapters/midtrans/client.js';
import { MidtransSandbox, sandboxServerKey } from './adapters/midtrans/sandbox.js';
import type { RedisHealth } from './adapters/redis/client.js';
import type { BaileysTransport, SocketFactory } from './adapters/whatsapp/baileys.js';
import { CloudTransport } from './adapters/whatsapp/cloud.js';
import { pacedTransport } from './adapters/whatsapp/pacing.js';
import { WebChatTransport } from './adapters/whatsapp/webchat.js';
import type { AppDeps } from './app/deps.js';
import type { PaymentGateway, Store, Transport } from './app/ports.js';
import { recheckPayments } from './app/reconcile.js';
import type { LiveSettings } from './app/live-settings.js';
import { Metrics } from './metrics.js';
import { consoleSummary, opsReporter } from './ops.js';
import { registerMetrics } from './http/metrics.js';
import { rateLimit } from './bot/middleware/rate-limit.js';
import { createBot, type Bot } from './bot/bot.js';
import { catalogueAtStart } from './demo.js';
import { createHttpServer, registerHealth } from './http/server.js';
import { fromThisMachine, registerSecurityHeaders, SecretGuard } from './http/edge.js';
import { createBackupPoller } from './backup.js';
import { registerMidtransWebhook } from './http/midtrans-webhook.js';
import { registerQrImages } from './http/qr.js';
import { registerDashboard } from './http/admin/dashboard.js';
import { createOutboxDispatcher, sendSlots, type OutboxDispatcher } from './jobs/outbox-dispatcher.js';
import { inboundQueue } from './adapters/postgres/repos/inbound-queue.js';
import { createExpirySweeper, createLinkRecovery } from './jobs/expiry-sweeper.js';
import { composeDeps, pickGuards } from './compose-deps.js';
import { pickTransport } from './compose-transport.js';
import { notifyAdmins } from './app/order-moves.js';
import { createPaymentEventWorker } from './jobs/payment-event-worker.js';
import { createPoller, type Poller } from './jobs/poller.js';
import { createInboundRecovery } from './jobs/inbound-recovery.js';
import { buyLockGate } from './app/buy-lock.js';
import { answerDoctor } from './cli/doctor.js';
import { DOCTOR_NOTICE } from './adapters/postgres/doctor-reports.js';
import { pickSupplier, wireSupplier, type SupplierJobs, type SupplierParts } from './compose-supplier.js';

export interface Kedai {
  config: Readonly<Config>;
  http: FastifyInstance;
  db: Database;
  store: Store;
  deps: AppDeps;
  bot: Bot;
  transport: Transport;
  dispatcher: OutboxDispatcher;
  /** Applies stored payment notifications. */
  paymentEventWorker: Poller;
  /** Expires overdue pending orders after asking the gateway. */
  sweeper: Poller;
  /** Gives orders left without a payment link by a crash their link (or closes them). */
  linkRecovery: Poller;
  /** Cloud API: handles inbound messages kept before a crash (null on other transports). */
  inboundRecovery: Poller | null;
  sandbox: MidtransSandbox | null;
  /** The supplier (Digiflazz, its sandbox, or none), its sandbox and its workers. */
  supplier: SupplierParts & SupplierJobs;
  metrics: Metrics;
  /** Settings the seller edits in the dashboard, as every message sees them. */
  live: LiveSettings;
  /** Redis state when REDIS_URL is set, null in the in-process mode. */
  redis: { client: Redis; health: RedisHealth } | null;
  /** Whether this start seeded the demo catalogue, and what the start banner says of the catalogue. */
  seeded: boolean;
  catalogueNotes: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when inbound messages are handled and the outbox is drained (tests, shutdown). */
  settle(): Promise<void>;
}

export interface ComposeOptions {
  log: Logger;
  /** A database opened by the caller (tests); otherwise chosen from the config. */
  db?: Database;
  /** For the console transport: the number to chat as. */
  consoleAs?: string;
  /** Overrides the gateway (tests of gateway faults use a real HTTP fake instead, via the config). */
  gateway?: PaymentGateway;
  /** Baileys' socket factory (tests hand in a fake that emits Baileys-shaped events). */
  baileysSocket?: SocketFactory;
}

/**
 * The composition root: picks the adapters the config asks for and wires them
 * into the app. Nothing else in the code base chooses an adapter.
 */
export async function createKedai(config: Readonly<Config>, opts: ComposeOptions): Promise<Kedai> {
  const { log } = opts;
  // A real store never runs on the demo parts by accident (see loadConfig).
  if (config.refusals.length) throw new ConfigError(config.refusals);
  const serverKey = config.midtrans.sandbox ? await sandboxServerKey(config.dataDir) : config.midtrans.serverKey;
  // The embedded store is one process per folder: take DATA_DIR before its server is started.
  const embedded = !opts.db && !config.databaseUrl;
  // A store moved to PostgreSQL (npx kedai move-to-postgres) leaves a stale copy here: it never sells again.
  const moved = embedded ? movedAway(config.dataDir) : null;
  if (moved) throw new ConfigError([moved]);
  const releaseDataDir = embedded ? lockDataDir(config.dataDir, 'bot', config.port) : () => undefined;
  const rawDb = opts.db ?? (config.databaseUrl ? connectPg(config.databaseUrl) : await openEmbeddedStore(config.dataDir, log));
  let redisHealth: RedisHealth | null = null;
  const metrics = new Metrics(rawDb, () => redisHealth);
  const db = metrics.instrument(rawDb);
  const endpoint = await pickTransport(config, log, db, opts);
  const transport = metrics.counting(pacedTransport(endpoint, config.whatsapp.sendPerSecond));
  const queue = outboxQueue(db);
  const dispatcher = createOutboxDispatcher(queue, transport, log, {
    concurrency: sendSlots(config.whatsapp.sendPerSecond),
    probeSeconds: config.whatsapp.probeSeconds,
    templateFallback: config.transport === 'cloud' && config.whatsapp.noticeTemplate !== undefined,
    onFailure: () => metrics.error('send'),
    canSend: () => endpoint.canSend?.() ?? true,
    // A message given up on is reported to the admins (never about an admin's own messages: no
    // loops; never a back-in-stock notice: a restock could page them once per waiting buyer).
    onDead: async (row, error) => {
      if (row.quiet || config.adminNumbers.includes(row.recipient)) return;
      await store.transaction((r) => notifyAdmins(deps, r, deps.texts.adminDeadLetter(row.recipient, row.attempts, error)));
    },
  });
  const guards = pickGuards(config, log);
  const seenInDb = pgDedupe(db.relaxed, guards.standInDedupe);
  redisHealth = guards.redis?.health ?? null;
  const ops = opsReporter(metrics, db, guards.redis, () => dispatcher.paused(), config.supplier.kind === 'none' ? null : config.supplier.lowBalance);
  const http = createHttpServer(log, { trustProxy: config.trustProxy });
  await registerSecurityHeaders(http);
  const secrets = new SecretGuard();
  const sandbox = config.midtrans.sandbox
    ? new MidtransSandbox(serverKey, config.publicUrl, () => `http://127.0.0.1:${config.port}/webhooks/midtrans`, log, config.locale)
    : null;
  let wakePaymentEvents = () => undefined as void;
  const gateway = opts.gateway ?? midtransGateway({ ...config.midtrans, serverKey });
  if (gateway.breakerOpen) metrics.watchBreaker(() => gateway.breakerOpen?.() ?? false);
  const supplierParts = pickSupplier(config, db, log);
  let wakeSupplier = () => undefined as void;
  const { deps, store, live, paymentEvents, listening } = composeDeps(config, {
    db,
    log,
    guards,
    gateway,
    suppliers: supplierParts.suppliers,
    wakeSupplier: () => wakeSupplier(),
    telemetry: metrics,
    ops,
    onOutbox: () => dispatcher.kick(),
    onStored: () => wakePaymentEvents(),
    changes: 'listen',
    // `npx kedai doctor` while this process runs: the checks made with this process's configuration.
    onAsked: (notice) => void answerDoctor(config, db, notice.slice(DOCTOR_NOTICE.length), log),
  });
  const bot = createBot(deps, transport, {
    seen: seenInDb,
    checks: [
      rateLimit(guards.limiter, {
        telemetry: metrics,
        get buyPerMin() { return live.buyPerMin; }, // prettier-ignore
        get cmdPerMin() { return live.cmdPerMin; }, // prettier-ignore
        buyLocks: buyLockGate(deps),
      }),
    ],
    prefixes: () => live.prefixes,
    storeInfo: () => live.storeInfo,
  });
  const settingsReload = createPoller('settings', async () => (await live.refresh(), { full: false }), log, 30_000);
  const backups = createBackupPoller(config, rawDb, log);
  const inboundRecovery = config.transport === 'cloud' ? createInboundRecovery(inboundQueue(db), (m) => bot.handle(m), log) : null;
  // Every 10 minutes: old inbound ids swept, and manual orders waiting too long remind the admins.
  const housekeeping = createPoller('housekeeping', async () => (await remindByHand(deps), { full: (await seenInDb.sweep()) >= 10_000 }), log, 10 * 60_000);
  const referrals = createPoller('referrals', async () => ({ full: (await settleCommissions(deps)) >= 50 }), log, 15_000);
  const paymentEventWorker = createPaymentEventWorker(paymentEvents, deps);
  wakePaymentEvents = () => paymentEventWorker.kick();
  const sweeper = createExpirySweeper(deps);
  const linkRecovery = createLinkRecovery(deps);

  registerHealth(http, db, guards.redis, () => dispatcher.paused(), () => endpoint.link?.() ?? null);
  registerMetrics(http, metrics, { token: config.metricsToken, proxyTrusted: config.trustProxy !== false, guard: secrets });
  const summary = config.statsLogIntervalS > 0 ? consoleSummary(ops, db, log, config.statsLogIntervalS) : null;
  registerMidtransWebhook(http, paymentEvents, serverKey, () => metrics.error('webhook'));
  const supplier = { ...supplierParts, ...wireSupplier(supplierParts, deps, http, config.supplier.timeoutMs, () => metrics.error('webhook')) };
  wakeSupplier = () => supplier.worker.kick();
  registerQrImages(http, store);
  await registerDashboard(http, deps, {
    adminToken: config.adminToken,
    live,
    whatsapp: { transport: endpoint.name, baileys: config.transport === 'baileys' ? (endpoint as BaileysTransport) : null },
    guard: secrets,
    locale: config.locale,
  });
  if (endpoint instanceof CloudTransport) {
    endpoint.register(http);
    endpoint.receipts((r) => dispatcher.receipt(r));
  }
  // The demo surfaces (web chat, payment sandbox) answer only this machine unless DEMO_PUBLIC says otherwise.
  await http.register(async (demo) => {
    if (!config.demoPublic) {
      demo.addHook('onRequest', async (req, reply) => {
        if (!fromThisMachine(req, config.trustProxy !== false)) return reply.code(403).send({ error: 'the demo surfaces answer only on this machine (DEMO_PUBLIC)' });
      });
    }
    sandbox?.register(demo);
    supplier.sandbox?.register(demo);
    supplier.vipSandbox?.register(demo);
    if (endpoint instanceof WebChatTransport) endpoint.register(demo);
  });

  // The background jobs (pollers), besides the outbox dispatcher: started after the HTTP server, stopped before the dispatcher.
  const background = [inboundRecovery, sweeper, linkRecovery, housekeeping, referrals, backups, settingsReload, summary, paymentEventWorker, supplier.sync, supplier.events, supplier.worker];
  let reconciling: Promise<void> = Promise.resolve();
  const kedai: Kedai = {
    config,
    http,
    db,
    store,
    deps,
    bot,
    transport: endpoint,
    dispatcher,
    paymentEventWorker,
    sweeper,
    linkRecovery,
    inboundRecovery,
    sandbox,
    supplier,
    redis: guards.redis,
    live,
    metrics,
    ...{ seeded: false, catalogueNotes: [] },
    async start() {
      const applied = await migrate(db);
      if (applied.length) log.info({ applied }, 'migrations applied');
      const demo = config.transport === 'webchat' || config.transport === 'console';
      ({ seeded: kedai.seeded, notes: kedai.catalogueNotes } = await catalogueAtStart(db, { demo, embedded: !config.databaseUrl && !opts.db, topups: supplierParts.sandbox !== null }, log));
      await live.refresh();
      for (const warning of config.warnings) log.warn(warning);
      await http.listen({ port: config.port, host: config.host });
      await transport.start((msg) => bot.handle(msg));
      dispatcher.start();
      for (const job of background) job?.start();
      // Notifications missed while kedai was down: re-check pending orders, in the background.
      reconciling = recheckPayments(deps).then(
        (checked) => void (checked.length && log.info({ checked: checked.length }, 'pending orders reconciled at start')),
        (err: unknown) => log.warn({ err }, 'start-up reconciliation failed'),
      );
    },
    async stop() {
      await reconciling;
      await transport.stop();
      await inboundRecovery?.stop();
      await bot.idle();
      // Each job finishes what it holds; the outbox last, so what they queued still goes out.
      for (const job of background) await job?.stop();
      await listening?.close();
      supplier.sandbox?.close();
      supplier.vipSandbox?.close();
      await dispatcher.stop();
      await http.close();
      guards.redis?.client.disconnect();
      if (!opts.db) await rawDb.close();
      releaseDataDir();
    },
    async settle() {
      await reconciling;
      // Messages and payment events queue outbox rows; loop until nothing due is left.
      for (let i = 0; i < 50; i++) {
        await bot.idle();
        paymentEventWorker.kick();
        await paymentEventWorker.idle();
        supplier.events.kick();
        await supplier.events.idle();
        supplier.worker.kick();
        await supplier.worker.idle();
        dispatcher.kick();
        await dispatcher.idle();
        if ((await storeGauges(db).dueWork()) === 0) return;
      }
    },
  };
  return kedai;
}
