/** `npx tsx bench/dashboard-only.ts`: only the dashboard's page times at a grown store's size. */
import { dashboardBench } from './dashboard.js';
import { withDatabase } from './scratch.js';

const result = await withDatabase((url) => dashboardBench(url, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
