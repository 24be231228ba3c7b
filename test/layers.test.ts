import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
      .filter((p) => /touch\(\s*['`]|invalidate\(\s*\[\s*['`]/.test(code(p)))
      .map((p) => relative(SRC, p));
    expect(literal).toEqual([]);
  });

  it('keeps every source file under 300 lines: one home per thing, small enough to read', () => {
    const long = files(SRC)
      .map((p) => ({ file: relative(SRC, p), lines: readFileSync(p, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });
});
