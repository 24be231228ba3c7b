import type { FastifyInstance } from 'fastify';
import type { Database } from './adapters/postgres/db.js';
import { supplierCallbackStore } from './adapters/postgres/repos/supplier.js';
import { digiflazzSupplier } from './adapters/digiflazz/client.js';
import { DigiflazzSandbox } from './adapters/digiflazz/sandbox.js';
import type { AppDeps, Log } from './app/deps.js';
import type { Supplier, SupplierCallbacks } from './app/ports.js';
import type { Config } from './config.js';
import { registerDigiflazzWebhook } from './http/digiflazz-webhook.js';
import { recheckOnHint } from './app/topup.js';
import { createSupplierEvents, createSupplierSync, createSupplierWorker } from './jobs/supplier-worker.js';
import type { Poller } from './jobs/poller.js';

export interface SupplierParts {
  supplier: Supplier | null;
  /** The built-in Digiflazz stand-in of the demo (under /sandbox/digiflazz); null otherwise. */
  sandbox: DigiflazzSandbox | null;
  callbacks: SupplierCallbacks;
  webhookSecret: string | null;
}

/** Digiflazz with DIGIFLAZZ_USERNAME and _API_KEY, its sandbox in the demo, or none (top-ups cannot be sold). */
export function pickSupplier(config: Readonly<Config>, db: Database, log: Log): SupplierParts {
  const s = config.supplier;
  const callbacks = supplierCallbackStore(db);
  if (s.kind === 'none') return { supplier: null, sandbox: null, callbacks, webhookSecret: null };
  if (s.kind === 'digiflazz') {
    return { supplier: digiflazzSupplier({ username: s.username, apiKey: s.apiKey, url: s.url, testing: s.testing, timeoutMs: s.timeoutMs }), sandbox: null, callbacks, webhookSecret: s.webhookSecret };
  }
  const sandbox = new DigiflazzSandbox(() => `http://127.0.0.1:${config.port}/webhooks/digiflazz`, log);
  const supplier = digiflazzSupplier({ username: sandbox.username, apiKey: sandbox.apiKey, url: s.url, testing: true, timeoutMs: s.timeoutMs });
  return { supplier, sandbox, callbacks, webhookSecret: sandbox.webhookSecret };
}

export interface SupplierJobs {
  worker: Poller;
  events: Poller;
  sync: Poller;
}

/** The supplier's workers and its webhook; the sandbox's routes go on the demo scope (this machine only). */
export function wireSupplier(parts: SupplierParts, deps: AppDeps, http: FastifyInstance, timeoutMs: number, onError: () => void): SupplierJobs {
  // A row's lease outlasts the longest call, so no two processes ask at once; a dead process's row waits only that long.
  const leaseSeconds = Math.ceil(timeoutMs / 1000) + 15;
  const jobs: SupplierJobs = { worker: createSupplierWorker(deps, { leaseSeconds }), events: createSupplierEvents(deps, parts.callbacks), sync: createSupplierSync(deps) };
  const hint = parts.supplier ? (refId: string) => recheckOnHint(deps, refId) : null;
  registerDigiflazzWebhook(http, parts.callbacks, () => parts.webhookSecret, () => jobs.events.kick(), onError, hint);
  return jobs;
}
