// Every error code clients can see has its section in docs/errors.md, where the problem `type`
// URI's last segment points.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes, errorTypeBase, formatPath, problem } from './errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const headings = new Set([...doc.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1]));

describe('error codes', () => {
  it.each(Object.keys(errorCodes))('%s is documented under its own heading in docs/errors.md', (code) => {
    expect(headings.has(code)).toBe(true);
  });

  it('documents no code that does not exist', () => {
    const unknown = [...headings].filter((h) => h && /^[a-z-]+$/.test(h) && !(h in errorCodes));
    expect(unknown).toEqual([]);
  });

  it('builds RFC 9457 problems whose type names the code', () => {
    expect(problem('key-missing', 'no key', { requestId: 'r1' })).toEqual({
      type: `${errorTypeBase}key-missing`,
      title: 'API key missing',
      status: 401,
      detail: 'no key',
      code: 'key-missing',
      requestId: 'r1',
    });
  });

  it('formats document paths the way people write them', () => {
    expect(formatPath(['apis', 2, 'routes', 0, 'path'])).toBe('apis[2].routes[0].path');
    expect(formatPath([])).toBe('(root)');
  });
});
