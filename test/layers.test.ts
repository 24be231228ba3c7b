import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
/** The code of a file without its comments (a comment may name SQL). */
const code = (p: string) => readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('where things live', () => {
  it('keeps SQL in the PostgreSQL adapter', () => {
    const outside = files(SRC)
      .filter((p) => !relative(SRC, p).startsWith('adapters/postgres/'))
      .filter((p) => /\b(SELECT\s+[\w*(]|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/.test(code(p)))
      .map((p) => relative(SRC, p));
    expect(outside).toEqual([]);
  });

  it('names cache keys once, in app/cache-aside.ts', () => {
    const literal = files(SRC)
      .filter((p) => !p.endsWith('cache-aside.ts'))
      .filter((p) => /changed\(\s*['`]|invalidate\(\s*\[\s*['`]/.test(code(p)))
      .map((p) => relative(SRC, p));
    expect(literal).toEqual([]);
  });

  it('gives money back in one module: a ledger refund is appended only in app/order-moves.ts', () => {
    const writers = files(SRC)
      .filter((p) => /kind:\s*'refund'/.test(code(p)))
      .map((p) => relative(SRC, p));
    expect(writers).toEqual(['app/order-moves.ts']);
  });

  it('keeps Redis scripts in their own .lua files, each with a header naming its keys, arguments and answers', async () => {
    expect(files(SRC).filter((p) => /redis\.call\(/.test(code(p))).map((p) => relative(SRC, p))).toEqual([]);
    const { redisScripts } = await import('../src/adapters/redis/scripts.js');
    const scripts = redisScripts();
    expect(scripts.map((s) => s.name).sort()).toEqual(['lockAcquire', 'lockHandOver', 'lockRelease', 'rateGiveBack', 'rateHit', 'rateHitLock']);
    for (const s of scripts) {
      const header = /^--\[\[([\s\S]*?)\]\]/.exec(s.lua)?.[1] ?? '';
      expect({ script: s.name, input: /Input:/.test(header), output: /Output:/.test(header) }).toEqual({ script: s.name, input: true, output: true });
      // As many keys in the header as the file's name says.
      expect({ script: s.name, keys: (header.match(/KEYS\[\d\]/g) ?? []).length }).toEqual({ script: s.name, keys: s.keys });
      expect(s.lua).not.toContain('@include');
    }
  });

  it('names files for what they hold, never for their size (no second halves)', () => {
    expect(files(SRC).map((p) => relative(SRC, p)).filter((f) => /-(more|rest|part\d*|\d+)\.ts$/.test(f))).toEqual([]);
  });

  it('keeps every source file under 300 lines: one home per thing, small enough to read', () => {
    const long = files(SRC)
      .map((p) => ({ file: relative(SRC, p), lines: readFileSync(p, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });

  /** Each cycle of `graph` once, named by its members. */
  const cyclesIn = (graph: Map<string, string[]>): string[] => {
    const cycles = new Set<string>();
    for (const start of graph.keys()) {
      const path: string[] = [];
      const seen = new Set<string>();
      const walk = (at: string): void => {
        if (at === start && path.length) return void cycles.add([...path].map((f) => relative(SRC, f)).sort().join(' ⇄ '));
        if (seen.has(at)) return;
        seen.add(at);
        path.push(at);
        for (const next of graph.get(at) ?? []) walk(next);
        path.pop();
      };
      walk(start);
    }
    return [...cycles];
  };
  const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/gm;
  const importGraph = (text: (p: string) => string) =>
    new Map(files(SRC).map((p) => [p, [...text(p).matchAll(IMPORT)].map((m) => resolve(dirname(p), (m[1] ?? m[2] ?? m[3]!).replace(/\.js$/, '.ts')))]));

  it('has no import cycle at run time: each module below the ones that use it', () => {
    // What runs is what TypeScript emits: type-only imports vanish, `import { type X }` stays (verbatimModuleSyntax).
    const emitted = (p: string) => ts.transpileModule(readFileSync(p, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
    expect(cyclesIn(importGraph(emitted))).toEqual([]);
  });

  it('has no cycle of types either: a type two modules share has a home below both', () => {
    expect(cyclesIn(importGraph((p) => readFileSync(p, 'utf8')))).toEqual([]);
  });
});
