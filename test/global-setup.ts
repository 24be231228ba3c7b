import { execFileSync } from 'node:child_process';

/**
 * The process tests run `npm start` as operators do: the compiled build in dist/.
 * Build it from the source under test first, so they never run a stale copy.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
