import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { createKedai } from './compose.js';
import { createLogger } from './log.js';
import { ownerOnly, ownerOnlyFromNowOn } from './owner-only.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // A real store on a demo part (the web chat, the payment sandbox) refuses to start, naming the variable.
  if (config.refusals.length) throw new ConfigError(config.refusals);
  const { values } = parseArgs({ options: { as: { type: 'string' } }, strict: false });
  const log = createLogger({ level: config.transport === 'console' ? 'warn' : config.logLevel, pretty: config.logPretty });
  // The store's files are the owner's only: new ones by the umask, what was there before tightened now.
  ownerOnlyFromNowOn();
  for (const dir of [...(config.databaseUrl ? [] : [config.dataDir]), config.backupDir]) {
    const changed = ownerOnly(dir);
    if (changed) log.warn({ dir, changed }, 'files other users could read or write were made the owner\'s only (folders 0700, files 0600)');
  }
  const kedai = await createKedai(config, { log, consoleAs: typeof values.as === 'string' ? values.as : undefined });
  await kedai.start();

  const lines = [
    `kedai is running on ${config.publicUrl}`,
    `  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir} (a Unix socket only)`}`,
    `  payments: ${config.midtrans.sandbox ? `built-in Midtrans sandbox (${config.publicUrl}/sandbox/midtrans)` : `Midtrans ${config.midtrans.isProduction ? 'production' : 'sandbox'}`}`,
    `  top-ups: ${{ sandbox: `built-in Digiflazz sandbox (${config.publicUrl}/sandbox/digiflazz)`, digiflazz: `Digiflazz${config.supplier.testing ? ' (testing)' : ''}, callbacks ${config.supplier.webhookSecret ? 'verified with DIGIFLAZZ_WEBHOOK_SECRET' : 'unverified: each only triggers a re-check'}`, none: 'off (no DIGIFLAZZ_API_KEY)' }[config.supplier.kind]}`,
    ...(config.transport === 'webchat' ? [`  web chat: ${config.publicUrl}/chat`] : []),
    ...(config.demoAdmin ? [`  demo admin number: ${config.demoAdmin} (set ADMIN_NUMBERS to use your own)`] : []),
    ...kedai.catalogueNotes.map((note) => `  ${note}`),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    kedai.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`kedai: ${err.message}\nSee the configuration table in README.md.\n`);
    process.exit(2);
  }
  process.stderr.write(`kedai failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
