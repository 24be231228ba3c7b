import type { FastifyInstance } from 'fastify';
import type { Database } from './adapters/postgres/db.js';
import { supplierCallbackStore } from './adapters/postgres/repos/supplier.js';
import { digiflazzSupplier } from './adapters/digiflazz/client.js';
import { DigiflazzSandbox } from './adapters/digiflazz/sandbox.js';
import { vipResellerSupplier, vipSign } from './adapters/vipreseller/client.js';
import { VipSandbox } from './adapters/vipreseller/sandbox.js';
import type { AppDeps, Log } from './app/deps.js';
import type { Supplier, SupplierCallbacks, Suppliers } from './app/ports.js';
import { supplierSet } from './app/supplier-set.js';
import type { Config } from './config.js';
import { registerDigiflazzWebhook } from './http/digiflazz-webhook.js';
import { registerVipWebhook } from './http/vipreseller-webhook.js';
import { recheckOnHint } from './app/topup.js';
import { createSupplierEvents, createSupplierSync, createSupplierWorker } from './jobs/supplier-worker.js';
import type { Poller } from './jobs/poller.js';

export interface SupplierParts {
  suppliers: Suppliers;
  /** The built-in Digiflazz stand-in of the demo (under /sandbox/digiflazz); null otherwise. */
  sandbox: DigiflazzSandbox | null;
  /** The built-in VIP-Reseller stand-in of the demo (under /sandbox/vipreseller); null otherwise. */
  vipSandbox: VipSandbox | null;
  callbacks: SupplierCallbacks;
  webhookSecret: string | null;
  /** What VIP-Reseller's callbacks carry in X-Client-Signature; null without it. */
  vipSignature: string | null;
}

/** Digiflazz with DIGIFLAZZ_USERNAME and _API_KEY, its sandbox in the demo, or none. */
function pickDigiflazz(config: Readonly<Config>, log: Log): { supplier: Supplier | null; sandbox: DigiflazzSandbox | null; webhookSecret: string | null } {
  const s = config.supplier;
  if (s.kind === 'none') return { supplier: null, sandbox: null, webhookSecret: null };
  if (s.kind === 'digiflazz') {
    return { supplier: digiflazzSupplier({ username: s.username, apiKey: s.apiKey, url: s.url, testing: s.testing, timeoutMs: s.timeoutMs }), sandbox: null, webhookSecret: s.webhookSecret };
  }
  const sandbox = new DigiflazzSandbox(() => `http://127.0.0.1:${config.port}/webhooks/digiflazz`, log);
  const supplier = digiflazzSupplier({ username: sandbox.username, apiKey: sandbox.apiKey, url: s.url, testing: true, timeoutMs: s.timeoutMs });
  return { supplier, sandbox, webhookSecret: sandbox.webhookSecret };
}

/** VIP-Reseller with VIPRESELLER_API_ID and _API_KEY, its sandbox in the demo, or none. */
function pickVip(config: Readonly<Config>, log: Log): { supplier: Supplier | null; sandbox: VipSandbox | null; signature: string | null } {
  const v = config.vip;
  if (v.kind === 'none') return { supplier: null, sandbox: null, signature: null };
  const sandbox = v.kind === 'sandbox' ? new VipSandbox(() => `http://127.0.0.1:${config.port}/webhooks/vipreseller`, log) : null;
  const [apiId, apiKey] = sandbox ? [sandbox.apiId, sandbox.apiKey] : [v.apiId, v.apiKey];
  return { supplier: vipResellerSupplier({ apiId, apiKey, url: v.url, timeoutMs: config.supplier.timeoutMs }), sandbox, signature: vipSign(apiId, apiKey) };
}

/** The suppliers configured (each, or its sandbox in the demo); none: top-ups cannot be sold. */
export function pickSupplier(config: Readonly<Config>, db: Database, log: Log): SupplierParts {
  const digiflazz = pickDigiflazz(config, log);
  const vip = pickVip(config, log);
  return {
    suppliers: supplierSet([digiflazz.supplier, vip.supplier]),
    sandbox: digiflazz.sandbox,
    vipSandbox: vip.sandbox,
    callbacks: supplierCallbackStore(db),
    webhookSecret: digiflazz.webhookSecret,
    vipSignature: vip.signature,
  };
}

export interface SupplierJobs {
  worker: Poller;
  events: Poller;
  sync: Poller;
}

/** The suppliers' workers and webhooks; the sandboxes' routes go on the demo scope (this machine only). */
export function wireSupplier(parts: SupplierParts, deps: AppDeps, http: FastifyInstance, timeoutMs: number, onError: () => void): SupplierJobs {
  // A row's lease outlasts the longest call, so no two processes ask at once; a dead process's row waits only that long.
  const leaseSeconds = Math.ceil(timeoutMs / 1000) + 15;
  const jobs: SupplierJobs = { worker: createSupplierWorker(deps, { leaseSeconds }), events: createSupplierEvents(deps, parts.callbacks), sync: createSupplierSync(deps) };
  const hint = parts.suppliers.byName('digiflazz') ? (refId: string) => recheckOnHint(deps, refId) : null;
  registerDigiflazzWebhook(http, parts.callbacks, () => parts.webhookSecret, () => jobs.events.kick(), onError, hint);
  registerVipWebhook(
    http,
    () => parts.vipSignature,
    (trxid) => deps.store.autocommit.supplier.refOf('vipreseller', trxid),
    (refId) => recheckOnHint(deps, refId),
    onError,
  );
  return jobs;
}
