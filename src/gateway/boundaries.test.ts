// The data plane never depends on the control plane or the store (it must run on nodes with no
// database), and policies see the gateway only through src/policies/context.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Import specifiers resolved to paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map(
    (m) => m[1] as string,
  );
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(src, resolve(file, '..', s)));
}

describe('module boundaries', () => {
  const files = [...sourceFiles(join(src, 'gateway')), ...sourceFiles(join(src, 'policies'))];

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('keeps src/gateway and src/policies free of src/control and src/store', () => {
    for (const file of files) {
      for (const target of importsOf(file)) {
        expect(target, relative(src, file)).not.toMatch(/^(control|store|cli)(\/|$)/);
      }
    }
  });

  it('keeps policies away from gateway internals', () => {
    // Their tests may use the real thing (the in-process counter store, say).
    for (const file of sourceFiles(join(src, 'policies')).filter((f) => !f.endsWith('.test.ts'))) {
      for (const target of importsOf(file)) {
        expect(target, relative(src, file)).not.toMatch(/^gateway(\/|$)/);
      }
    }
  });
});
