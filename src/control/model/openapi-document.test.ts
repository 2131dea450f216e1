// The structural check of an API's OpenAPI document: 3.x with an info object, under 5 MiB,
// kept with its keys in the order written; and its summary.
import { describe, expect, it } from 'vitest';
import { maxOpenapiBytes, openapiDocument, summarizeOpenapi } from './openapi-document.ts';

const problems = (value: unknown) => {
  const parsed = openapiDocument.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('openapiDocument', () => {
  it.each([
    ['3.0.3', { openapi: '3.0.3', info: { title: 'Weather', version: '1.0.0' }, paths: {} }],
    ['3.1.0', { openapi: '3.1.0', info: { title: 'Weather', version: '1.0.0' }, webhooks: {} }],
    ['3.2.0 with extensions', { openapi: '3.2.0', info: {}, 'x-logo': { url: 'https://example.com' } }],
  ])('accepts OpenAPI %s', (_what, document) => {
    expect(problems(document)).toEqual([]);
  });

  it('keeps the keys in the order they were written', () => {
    const document = { paths: { '/b': {}, '/a': {} }, info: { version: '1', title: 't' }, openapi: '3.1.0' };
    const parsed = openapiDocument.parse(document);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(document));
  });

  it.each([
    [
      'Swagger 2.0',
      { swagger: '2.0', info: { title: 't', version: '1' } },
      ['openapi: must be the OpenAPI version, a string such as "3.1.0"'],
    ],
    [
      'OpenAPI 2.0',
      { openapi: '2.0', info: {} },
      ['openapi: must be an OpenAPI 3.x version such as "3.1.0" (Swagger 2.0 is not accepted)'],
    ],
    [
      'a number as version',
      { openapi: 3.1, info: {} },
      ['openapi: must be the OpenAPI version, a string such as "3.1.0"'],
    ],
    [
      'no info',
      { openapi: '3.1.0', paths: {} },
      ['info: must be an object with the title and version of the API'],
    ],
    [
      'info as a string',
      { openapi: '3.1.0', info: 'Weather' },
      ['info: must be an object with the title and version of the API'],
    ],
    ['an array', [{ openapi: '3.1.0', info: {} }], [': must be an OpenAPI 3.x document (a JSON object)']],
    ['a string', 'openapi: 3.1.0', [': must be an OpenAPI 3.x document (a JSON object)']],
  ])('refuses %s, naming the field', (_what, value, expected) => {
    expect(problems(value)).toEqual(expected);
  });

  it('refuses a document over 5 MiB as JSON, and takes one just under', () => {
    const base = { openapi: '3.1.0', info: { title: 't', version: '1' }, 'x-pad': '' };
    const overhead = Buffer.byteLength(JSON.stringify(base));
    const fits = { ...base, 'x-pad': 'a'.repeat(maxOpenapiBytes - overhead) };
    expect(problems(fits)).toEqual([]);
    const over = { ...base, 'x-pad': 'a'.repeat(maxOpenapiBytes - overhead + 1) };
    expect(problems(over)).toEqual([
      `: is ${maxOpenapiBytes + 1} bytes as JSON; at most ${maxOpenapiBytes} (5 MiB) are accepted`,
    ]);
  });
});

describe('summarizeOpenapi', () => {
  it('gives the version line, title, version and size, or null without a document', () => {
    const document = { openapi: '3.1.0', info: { title: 'Wëather', version: '2.1' } };
    expect(summarizeOpenapi(document)).toEqual({
      openapi: '3.1.0',
      title: 'Wëather',
      version: '2.1',
      bytes: Buffer.byteLength(JSON.stringify(document)),
    });
    expect(summarizeOpenapi({ openapi: '3.0.0', info: { title: 7 } })).toMatchObject({
      title: null,
      version: null,
    });
    expect(summarizeOpenapi(null)).toBeNull();
  });
});
