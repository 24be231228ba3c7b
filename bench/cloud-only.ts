/** `npx tsx bench/cloud-only.ts`: only the Cloud transport part of the bench (quicker to iterate on). */
import { cloudBench } from './cloud.js';
import { freePort, withDatabase } from './scratch.js';

const results = await withDatabase((url) => cloudBench(url, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', freePort));
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
