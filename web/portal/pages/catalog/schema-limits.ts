// A schema's limits in words, for the API reference: bounds on numbers, lengths of strings,
// sizes of arrays and objects, and patterns. OpenAPI 3.0 writes exclusive bounds as booleans
// beside `minimum` and `maximum`, 3.1 as numbers of their own; both read the same.
import type { Node } from './openapi-refs.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `minimum 1`, `less than 60`, `at most 14 items`, `pattern ^[a-z]+$`: in the order a reader checks them. */
export function limitsOf(schema: Node): string[] {
  const out: string[] = [];
  const number = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const minimum = number('minimum');
  const maximum = number('maximum');
  if (minimum !== undefined)
    out.push(schema.exclusiveMinimum === true ? `greater than ${minimum}` : `minimum ${minimum}`);
  if (number('exclusiveMinimum') !== undefined) out.push(`greater than ${number('exclusiveMinimum')}`);
  if (maximum !== undefined)
    out.push(schema.exclusiveMaximum === true ? `less than ${maximum}` : `maximum ${maximum}`);
  if (number('exclusiveMaximum') !== undefined) out.push(`less than ${number('exclusiveMaximum')}`);
  if (number('multipleOf') !== undefined) out.push(`multiple of ${number('multipleOf')}`);
  const counts: [string, string, string, string?][] = [
    ['minLength', 'at least', 'character'],
    ['maxLength', 'at most', 'character'],
    ['minItems', 'at least', 'item'],
    ['maxItems', 'at most', 'item'],
    ['minProperties', 'at least', 'property', 'properties'],
    ['maxProperties', 'at most', 'property', 'properties'],
  ];
  for (const [key, bound, one, many] of counts) {
    const n = number(key);
    if (n !== undefined) out.push(`${bound} ${plural(n, one, many)}`);
  }
  if (schema.uniqueItems === true) out.push('items unique');
  if (typeof schema.pattern === 'string') out.push(`pattern ${schema.pattern}`);
  return out;
}
