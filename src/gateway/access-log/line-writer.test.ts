// The line writer against real files and a real pipe: every line lands whole and in order,
// multi-byte text included; stdout gets writes of whole lines no larger than PIPE_BUF; past the
// cap lines are dropped and counted; close() writes what waits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineWriter } from './line-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'turnpike-line-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noErrors = { onError: (error: Error) => expect.fail(error.message), onDrop: () => {} };

function lineOf(i: number, width: number): string {
  // Multi-byte characters so UTF-16 length and UTF-8 bytes differ.
  return `${JSON.stringify({ i, text: 'é€😀'.repeat(width) })}\n`;
}

describe('LineWriter', () => {
  it('writes every line whole and in order to a file, across many batches', async () => {
    const file = join(dir, 'many.log');
    const writer = await LineWriter.open(file, { maxPendingBytes: 1 << 24, ...noErrors });
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const line = lineOf(i, i % 97);
      expected.push(line);
      writer.write(line);
      // Let writes complete now and then, so buffers are reused while lines keep coming.
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    writer.write(lineOf(-1, 40_000)); // longer than a buffer
    expected.push(lineOf(-1, 40_000));
    await writer.close(5000);
    expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
  });

  it('drops lines past the cap, counts them, and keeps the ones before', async () => {
    const file = join(dir, 'capped.log');
    let drops = 0;
    const writer = await LineWriter.open(file, {
      maxPendingBytes: 1000,
      onError: noErrors.onError,
      onDrop: () => drops++,
    });
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 15; i++) writer.write(line);
    expect(writer.dropped).toBe(5);
    expect(drops).toBe(5);
    await writer.close(5000);
    expect(readFileSync(file, 'utf8')).toBe(line.repeat(10));
  });

  it('gives stdout writes of whole lines, none larger than 4096 bytes', () => {
    const script = join(dir, 'stdout.ts');
    const module = new URL('./line-writer.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      [
        // Every write the writer makes is recorded (fs.write is wrapped before it is imported).
        'import fs from "node:fs";',
        'import { syncBuiltinESMExports } from "node:module";',
        'const sizes = [];',
        'const write = fs.write;',
        'fs.write = (fd, buffer, ...rest) => { sizes.push(buffer.length); return write(fd, buffer, ...rest); };',
        'syncBuiltinESMExports();',
        `const { LineWriter } = await import(${JSON.stringify(module)});`,
        'const writer = await LineWriter.open("stdout", { maxPendingBytes: 1 << 24, onError: (e) => { throw e; }, onDrop: () => {} });',
        `for (let i = 0; i < 2000; i++) writer.write(JSON.stringify({ i, text: "é€😀".repeat(i % 61) }) + "\\n");`,
        'await writer.close(5000);',
        'process.stderr.write(JSON.stringify(sizes));',
      ].join('\n'),
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 10_000 });
    const sizes = JSON.parse(child.stderr) as number[];
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(Buffer.byteLength(child.stdout));
    const lines = child.stdout.split('\n').filter((l) => l !== '');
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
      Array.from({ length: 2000 }, (_, i) => i),
    );
  });
});
