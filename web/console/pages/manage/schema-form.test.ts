import { describe, expect, it } from 'vitest';
import {
  configOf,
  type Field,
  type FormValues,
  formOf,
  humanize,
  initialValue,
  type JsonSchema,
} from './schema-form.ts';

// Abridged from GET /admin/v1/policy-types: rate-limit and jwt as the gateway describes them.
const rateLimit: JsonSchema = {
  type: 'object',
  properties: {
    limits: {
      default: [{ period: 'minute', max: 60 }],
      description: 'At most one limit per period.',
      minItems: 1,
      maxItems: 7,
      type: 'array',
      items: {
        type: 'object',
        properties: {
          period: { type: 'string', enum: ['second', 'minute', 'hour'] },
          max: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
        },
        required: ['period', 'max'],
        additionalProperties: false,
      },
    },
    by: { default: 'ip', type: 'string', enum: ['ip', 'consumer', 'header'] },
    header: { default: null, anyOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'null' }] },
    headers: { default: true, type: 'boolean' },
  },
  additionalProperties: false,
};

const jwt: JsonSchema = {
  type: 'object',
  properties: {
    audiences: { default: [], type: 'array', items: { type: 'string' } },
    algorithms: { default: ['RS256'], type: 'array', items: { type: 'string', enum: ['RS256', 'ES256'] } },
    publicKeys: {
      default: [],
      type: 'array',
      items: { oneOf: [{ type: 'object', properties: { kty: { const: 'RSA' } } }, { type: 'object' }] },
    },
    clockSkewSeconds: { default: 30, type: 'integer', minimum: 0, maximum: 300 },
  },
};

const fieldsOf = (form: Field) => (form.kind === 'object' ? form.fields : []);
const summary = (form: Field) => fieldsOf(form).map((f) => [f.key, f.kind]);

describe('formOf', () => {
  it('gives each kind of property its input', () => {
    expect(summary(formOf(rateLimit))).toEqual([
      ['limits', 'rows'],
      ['by', 'select'],
      ['header', 'text'],
      ['headers', 'switch'],
    ]);
    expect(summary(formOf(jwt))).toEqual([
      ['audiences', 'tags'],
      ['algorithms', 'tags'],
      ['publicKeys', 'json'],
      ['clockSkewSeconds', 'number'],
    ]);
  });

  it('keeps bounds, options, descriptions and what is required', () => {
    const [limits, by, header] = fieldsOf(formOf(rateLimit));
    expect(limits).toMatchObject({ kind: 'rows', itemLabel: 'limit', minItems: 1, maxItems: 7 });
    expect(limits?.description).toBe('At most one limit per period.');
    expect(limits?.kind === 'rows' && limits.fields).toMatchObject([
      { key: 'period', kind: 'select', options: ['second', 'minute', 'hour'], required: true },
      { key: 'max', kind: 'number', integer: true, min: 0, max: 1_000_000_000, required: true },
    ]);
    expect(by).toMatchObject({ kind: 'select', options: ['ip', 'consumer', 'header'], default: 'ip' });
    expect(header).toMatchObject({
      kind: 'text',
      nullable: true,
      minLength: 1,
      maxLength: 64,
      default: null,
    });
    const algorithms = fieldsOf(formOf(jwt))[1];
    expect(algorithms).toMatchObject({ kind: 'tags', options: ['RS256', 'ES256'] });
  });

  it('draws nested objects as fieldsets of their properties', () => {
    const acl: JsonSchema = {
      type: 'object',
      properties: {
        allow: {
          default: {},
          type: 'object',
          properties: { tiers: { default: [], type: 'array', items: { type: 'string' } } },
        },
      },
    };
    const [allow] = fieldsOf(formOf(acl));
    expect(allow).toMatchObject({ kind: 'object', label: 'Allow' });
    expect(allow?.kind === 'object' && allow.fields.map((f) => f.kind)).toEqual(['tags']);
  });

  it('falls back to JSON text for a schema it cannot draw', () => {
    expect(formOf({ type: 'string' }).kind).toBe('json');
    expect(formOf({ anyOf: [{ type: 'object' }, { type: 'array' }] }).kind).toBe('json');
  });
});

describe('initialValue', () => {
  it('starts from the defaults', () => {
    expect(initialValue(formOf(rateLimit), undefined)).toEqual({
      limits: [{ period: 'minute', max: 60 }],
      by: 'ip',
      header: '',
      headers: true,
    });
  });

  it('starts from the current config where it has a value', () => {
    const values = initialValue(formOf(jwt), {
      audiences: ['a'],
      publicKeys: [{ kty: 'RSA' }],
    }) as FormValues;
    expect(values.audiences).toEqual(['a']);
    expect(values.algorithms).toEqual(['RS256']);
    expect(JSON.parse(values.publicKeys as string)).toEqual([{ kty: 'RSA' }]);
    expect(values.clockSkewSeconds).toBe(30);
  });
});

describe('configOf', () => {
  it('leaves out what equals the default, so an untouched form sends {}', () => {
    const form = formOf(rateLimit);
    expect(configOf(form, initialValue(form, undefined))).toEqual({ ok: true, config: {} });
  });

  it('sends what was changed, with numbers as numbers and empty nullable text as null', () => {
    const form = formOf(rateLimit);
    const values = initialValue(form, { header: 'X-Tenant' }) as FormValues;
    values.limits = [
      { period: 'second', max: 10 },
      { period: 'hour', max: '1000' as unknown as number },
    ];
    values.by = 'header';
    expect(configOf(form, values)).toEqual({
      ok: true,
      config: {
        limits: [
          { period: 'second', max: 10 },
          { period: 'hour', max: 1000 },
        ],
        by: 'header',
        header: 'X-Tenant',
      },
    });
  });

  it('names the fields to fix', () => {
    const form = formOf(rateLimit);
    const values = initialValue(form, undefined) as FormValues;
    values.limits = [{ period: '', max: -1 }];
    expect(configOf(form, values)).toEqual({
      ok: false,
      errors: [
        { path: 'limits[0].period', message: 'is required' },
        { path: 'limits[0].max', message: 'must be 0 or more' },
      ],
    });
    const json = initialValue(formOf(jwt), undefined) as FormValues;
    json.publicKeys = '[{';
    expect(configOf(formOf(jwt), json)).toEqual({
      ok: false,
      errors: [{ path: 'publicKeys', message: 'is not valid JSON' }],
    });
  });

  it('reads a whole-config JSON field', () => {
    const form = formOf({ type: 'string' });
    expect(configOf(form, '{"a": 1}')).toEqual({ ok: true, config: { a: 1 } });
    expect(configOf(form, '[1]')).toMatchObject({ ok: false });
  });
});

describe('humanize', () => {
  it('turns config keys into labels', () => {
    expect(humanize('maxAgeSeconds')).toBe('Max age seconds');
    expect(humanize('jwksUrl')).toBe('JWKS URL');
    expect(humanize('requireTrustedCa')).toBe('Require trusted CA');
  });
});
