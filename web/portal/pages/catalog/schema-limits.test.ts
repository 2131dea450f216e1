import { describe, expect, it } from 'vitest';
import { limitsOf } from './schema-limits.ts';

describe('schema limits in words', () => {
  it('reads exclusive bounds the 3.0 way (booleans) and the 3.1 way (numbers)', () => {
    expect(limitsOf({ minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false })).toEqual([
      'greater than 0',
      'maximum 10',
    ]);
    expect(limitsOf({ exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 })).toEqual([
      'greater than 0',
      'less than 10',
      'multiple of 0.5',
    ]);
  });

  it('counts characters, items and properties, and names the pattern', () => {
    expect(limitsOf({ minLength: 1, maxLength: 64, pattern: '^[a-z]+$' })).toEqual([
      'at least 1 character',
      'at most 64 characters',
      'pattern ^[a-z]+$',
    ]);
    expect(
      limitsOf({ minItems: 2, maxItems: 2, uniqueItems: true, minProperties: 1, maxProperties: 3 }),
    ).toEqual([
      'at least 2 items',
      'at most 2 items',
      'at least 1 property',
      'at most 3 properties',
      'items unique',
    ]);
    expect(limitsOf({ type: 'string' })).toEqual([]);
  });
});
