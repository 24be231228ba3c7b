#!/usr/bin/env node
// `npx kedai migrate`: the CLI grows in issue 6; for now it runs migrations.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [command] = process.argv.slice(2);
if (command !== 'migrate') {
  process.stderr.write('usage: kedai migrate\n');
  process.exit(2);
}
const script = fileURLToPath(new URL('../src/cli/migrate.ts', import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
process.exit(result.status ?? 1);
