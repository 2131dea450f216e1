// A JSON Schema from an OpenAPI 3.0 or 3.1 document, as the API reference shows it: its type in
// words, its flags, values and limits, and what is inside (properties, items, variants). `$ref`s
// are followed, `allOf` is merged into one object, a schema that refers back to one around it is
// named instead of expanded again, and expansion stops at a depth and a number of schemas.
import { isNode, type Node, refName, resolveRef } from './openapi-refs.ts';
import { limitsOf } from './schema-limits.ts';

export interface SchemaView {
  /** The type in words: `object`, `string (date-time)`, `array of Pet`, `string or integer`, `any`. */
  type: string;
  /** The component it came from: `Pet` for `#/components/schemas/Pet`. */
  name?: string;
  title?: string;
  /** Markdown. */
  description?: string;
  nullable: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  deprecated: boolean;
  /** The values allowed, as JSON text (`const` is one). */
  enum?: string[];
  /** As JSON text. */
  default?: string;
  /** As JSON text. */
  examples: string[];
  /** Limits in words: `at least 1 character`, `maximum 100`, `pattern ^[a-z]+$`. */
  constraints: string[];
  properties: FieldView[];
  /** `additionalProperties`: the schema of any other property, `true` when it may be anything. */
  additional?: SchemaView | true;
  /** An array's items. */
  items?: SchemaView;
  /** `oneOf` or `anyOf`. */
  variants?: { kind: 'one of' | 'any of'; options: SchemaView[]; discriminator?: string };
  /** It refers back to a schema shown around it, so it is named and not expanded again. */
  circular?: boolean;
  /** The depth or size limit stopped the expansion here. */
  truncated?: boolean;
  /** A reference that could not be followed, and why. */
  problem?: string;
}

export interface FieldView {
  name: string;
  required: boolean;
  schema: SchemaView;
}

export interface SchemaViewOptions {
  /** Levels of nesting shown below the schema; deeper ones are cut. */
  maxDepth?: number;
  /** Schemas described in all, so that a large document cannot make a page of millions. */
  maxSchemas?: number;
}

interface Walk {
  document: Node;
  maxDepth: number;
  left: number;
}

export function schemaView(document: Node, schema: unknown, options: SchemaViewOptions = {}): SchemaView {
  const walk = { document, maxDepth: options.maxDepth ?? 8, left: options.maxSchemas ?? 1500 };
  return view(walk, schema, [], 0);
}

/** The schema whose properties or variants to list under `view`: itself, or an array's items. */
export function inside(view: SchemaView): SchemaView | undefined {
  let current: SchemaView | undefined = view;
  while (current) {
    if (current.properties.length > 0 || current.variants || isNode(current.additional)) return current;
    current = current.items;
  }
  return undefined;
}

const json = (value: unknown) => JSON.stringify(value) ?? String(value);

function plain(type: string): SchemaView {
  return {
    type,
    nullable: false,
    readOnly: false,
    writeOnly: false,
    deprecated: false,
    examples: [],
    constraints: [],
    properties: [],
  };
}

function view(walk: Walk, node: unknown, stack: string[], depth: number): SchemaView {
  const target = resolveRef(walk.document, node);
  const name = target.ref === undefined ? undefined : refName(target.ref);
  if (target.problem) return { ...plain(name ?? 'unknown'), problem: target.problem };
  if (target.ref !== undefined && stack.includes(target.ref)) {
    return { ...plain(shallowType(target.node)), ...(name && { name }), circular: true };
  }
  // OpenAPI 3.1 lets a `$ref` have siblings (a description, say) that apply on top of its target.
  const siblings = isNode(node) && target.ref !== undefined ? withoutRef(node) : {};
  const schema = isNode(target.node) ? { ...target.node, ...siblings } : target.node;
  if (schema === false) return plain('nothing (never valid)');
  if (!isNode(schema)) return { ...plain('any'), ...(name && { name }) };
  const inner = target.ref === undefined ? stack : [...stack, target.ref];
  walk.left--;
  if (depth > walk.maxDepth || walk.left < 0) {
    return { ...plain(shallowType(schema)), ...(name && { name }), truncated: true };
  }
  const merged = mergeAllOf(walk.document, schema, inner);
  const result = describe(walk, merged, inner, depth);
  if (name) result.name = name;
  return result;
}

function withoutRef(node: Node): Node {
  const { $ref: _ref, ...rest } = node;
  return rest;
}

/** `allOf` folded into one schema: properties and `required` combined, other keywords first wins. */
function mergeAllOf(document: Node, schema: Node, stack: string[]): Node {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...own } = schema;
  const parts: Node[] = [];
  for (const part of allOf) {
    const target = resolveRef(document, part);
    if (!isNode(target.node) || (target.ref !== undefined && stack.includes(target.ref))) continue;
    const inner = target.ref === undefined ? stack : [...stack, target.ref];
    parts.push(mergeAllOf(document, target.node, inner));
  }
  const merged: Node = {};
  for (const part of [...parts].reverse()) Object.assign(merged, part);
  Object.assign(merged, own);
  const properties: Node = {};
  const required = new Set<string>();
  for (const part of [...parts, own]) {
    if (isNode(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required))
      for (const r of part.required) if (typeof r === 'string') required.add(r);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  // Descriptions are about the whole: the schema's own, else the first part's.
  const description = [own, ...parts].map((p) => p.description).find((d) => typeof d === 'string');
  if (description !== undefined) merged.description = description;
  return merged;
}

/** The declared types, without `null`; inferred from the keywords when there is no `type`. */
function typesOf(schema: Node): string[] {
  if (typeof schema.type === 'string') return schema.type === 'null' ? [] : [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (isNode(schema.properties) || isNode(schema.additionalProperties)) return ['object'];
  if (schema.items !== undefined) return ['array'];
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  const kinds = new Set(values.filter((v) => v !== null).map((v) => (Array.isArray(v) ? 'array' : typeof v)));
  return [...kinds].filter((k) => ['string', 'number', 'boolean', 'object', 'array'].includes(k));
}

function shallowType(schema: unknown): string {
  if (!isNode(schema)) return 'any';
  const types = typesOf(schema);
  if (types.length > 0) return types.join(' or ');
  return Array.isArray(schema.allOf) ? 'object' : 'any';
}

function isNullable(schema: Node): boolean {
  if (schema.nullable === true || schema.type === 'null') return true;
  if (Array.isArray(schema.type) && schema.type.includes('null')) return true;
  return Array.isArray(schema.enum) && schema.enum.includes(null);
}

/** `{ type: 'null' }`, as 3.1 documents write "or null" in a `oneOf` or `anyOf`. */
const isNullSchema = (document: Node, node: unknown) => {
  const target = resolveRef(document, node).node;
  return isNode(target) && target.type === 'null';
};

function describe(walk: Walk, schema: Node, stack: string[], depth: number): SchemaView {
  const result = plain('any');
  result.nullable = isNullable(schema);
  result.readOnly = schema.readOnly === true;
  result.writeOnly = schema.writeOnly === true;
  result.deprecated = schema.deprecated === true;
  if (typeof schema.title === 'string') result.title = schema.title;
  if (typeof schema.description === 'string' && schema.description !== '')
    result.description = schema.description;
  if (Array.isArray(schema.enum)) result.enum = schema.enum.filter((v) => v !== null).map(json);
  else if ('const' in schema) result.enum = [json(schema.const)];
  if ('default' in schema) result.default = json(schema.default);
  if ('example' in schema) result.examples.push(json(schema.example));
  if (Array.isArray(schema.examples)) result.examples.push(...schema.examples.map(json));
  result.constraints = limitsOf(schema);

  const types = typesOf(schema);
  if (types.includes('object') || isNode(schema.properties)) {
    const required = Array.isArray(schema.required) ? schema.required : [];
    const properties = isNode(schema.properties) ? schema.properties : {};
    // Properties are described when first read (a page reads them as a level is opened).
    later(result, 'properties', () =>
      Object.entries(properties).map(([name, property]) => ({
        name,
        required: required.includes(name),
        schema: view(walk, property, stack, depth + 1),
      })),
    );
    const additional = schema.additionalProperties;
    if (additional === true || (isNode(additional) && Object.keys(additional).length === 0))
      result.additional = true;
    else if (isNode(additional)) later(result, 'additional', () => view(walk, additional, stack, depth + 1));
  }
  if (types.includes('array') || schema.items !== undefined) {
    const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
    result.items = view(walk, items ?? {}, stack, depth + 1);
  }
  for (const kind of ['oneOf', 'anyOf'] as const) {
    const choices = schema[kind];
    if (!Array.isArray(choices) || result.variants) continue;
    const options = choices.filter((c) => !isNullSchema(walk.document, c));
    if (options.length < choices.length) result.nullable = true;
    // `anyOf: [Pet, null]` is a nullable Pet: shown as the Pet itself.
    if (options.length === 1 && types.length === 0 && !isNode(schema.properties)) {
      const only = view(walk, options[0], stack, depth);
      return merge(only, result);
    }
    const discriminator = isNode(schema.discriminator) ? schema.discriminator.propertyName : undefined;
    result.variants = {
      kind: kind === 'oneOf' ? 'one of' : 'any of',
      options: options.map((option) => view(walk, option, stack, depth + 1)),
      ...(typeof discriminator === 'string' && { discriminator }),
    };
  }
  result.type = typeWords(schema, types, result);
  return result;
}

/** Sets `key` of `target` to `compute()` when it is first read. */
function later<K extends 'properties' | 'additional'>(
  target: SchemaView,
  key: K,
  compute: () => SchemaView[K],
) {
  const settle = (value: SchemaView[K]) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = compute();
      settle(value);
      return value;
    },
    set: settle,
  });
}

/** The single variant of a nullable `anyOf`, with what the outer schema says on top. */
function merge(only: SchemaView, outer: SchemaView): SchemaView {
  return {
    ...only,
    nullable: true,
    readOnly: only.readOnly || outer.readOnly,
    writeOnly: only.writeOnly || outer.writeOnly,
    deprecated: only.deprecated || outer.deprecated,
    ...(outer.description !== undefined && { description: outer.description }),
    ...(outer.default !== undefined && { default: outer.default }),
    examples: [...outer.examples, ...only.examples],
    constraints: [...outer.constraints, ...only.constraints],
  };
}

const label = (view: SchemaView) => view.name ?? view.type;

function typeWords(schema: Node, types: string[], result: SchemaView): string {
  const words = types.map((type) => {
    if (type === 'array') return `array of ${result.items ? label(result.items) : 'any'}`;
    return typeof schema.format === 'string' && type !== 'object' ? `${type} (${schema.format})` : type;
  });
  if (words.length > 0) return words.join(' or ');
  if (result.variants) {
    const names = result.variants.options.map(label);
    return names.length <= 3 ? names.join(' or ') : `${result.variants.kind} ${names.length} schemas`;
  }
  return 'any';
}
