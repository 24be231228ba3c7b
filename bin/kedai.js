#!/usr/bin/env node
// `npx kedai …`: the operator's CLI, the compiled one (`npm install` builds dist/), as `npm start` runs the bot.
// A checkout that was never built (development) runs the TypeScript through tsx instead.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const args = existsSync(compiled) ? ['--enable-source-maps', compiled] : ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
