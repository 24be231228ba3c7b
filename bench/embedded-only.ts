/** `npx tsx bench/embedded-only.ts`: only the embedded quick-start part of the bench (needs `npm run build` first). */
import { readFileSync } from 'node:fs';
import { embeddedBench } from './embedded.js';
import { freePort } from './scratch.js';

const startArgs = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);
process.stdout.write(`${JSON.stringify(await embeddedBench(freePort, startArgs), null, 2)}\n`);
