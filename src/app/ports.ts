/**
 * The ports: what the app needs from the outside, one file per port under
 * `ports/`. Adapters implement them; the app imports only from here.
 */
export * from './ports/records.js';
export * from './ports/store.js';
export * from './ports/reports.js';
export * from './ports/gateway.js';
export * from './ports/messaging.js';
export * from './ports/ops.js';
export * from './ports/outbox.js';
export * from './ports/guards.js';
export * from './ports/supplier.js';
export * from './ports/selling.js';
export * from './ports/views.js';
export * from './ports/texts.js';
