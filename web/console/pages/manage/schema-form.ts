// Forms from JSON Schemas: the fields the console draws for a policy's config, worked out from
// the schema `GET /admin/v1/policy-types` gives, the values a form starts with, and the config
// it sends back. Pure, so it is tested without a browser; SchemaForm.tsx draws the fields.

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
}

interface Common {
  /** The config key; `''` for the root. */
  key: string;
  label: string;
  description?: string;
  required: boolean;
  /** Present when the schema gives a default (which may be `null`). */
  default?: unknown;
  hasDefault: boolean;
}

/** One input, by what it edits. `rows` is a list of small objects (rate-limit's limits). */
export type Field =
  | (Common & { kind: 'text'; nullable: boolean; minLength?: number; maxLength?: number; pattern?: string })
  | (Common & { kind: 'select'; options: string[]; nullable: boolean })
  | (Common & { kind: 'number'; integer: boolean; nullable: boolean; min?: number; max?: number })
  | (Common & { kind: 'switch' })
  | (Common & { kind: 'tags'; options?: string[]; minItems?: number; maxItems?: number })
  | (Common & { kind: 'object'; fields: Field[] })
  | (Common & { kind: 'rows'; itemLabel: string; fields: Field[]; minItems?: number; maxItems?: number })
  | (Common & { kind: 'json' });

/** What a form holds: text as typed (`''` for empty), numbers or `''`, lists, nested objects. */
export type FormValue = string | number | boolean | string[] | FormValues | FormValues[];
export interface FormValues {
  [key: string]: FormValue;
}

export interface FieldError {
  /** Where, as in the admin API's errors: `limits[0].max`. */
  path: string;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const acronyms: Record<string, string> = {
  url: 'URL',
  jwks: 'JWKS',
  ip: 'IP',
  id: 'ID',
  ca: 'CA',
  http: 'HTTP',
};

/** `maxAgeSeconds` → `Max age seconds`, `jwksUrl` → `JWKS URL`. */
export function humanize(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((word) => acronyms[word.toLowerCase()] ?? word.toLowerCase());
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `limits` → `limit`: what one row of a list is called. */
const singular = (label: string) => label.replace(/ies$/, 'y').replace(/s$/, '').toLowerCase();

/** A schema without its `null` alternative, and whether it had one. */
function withoutNull(schema: JsonSchema): { base: JsonSchema; nullable: boolean } {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const rest = alternatives.filter((s) => s.type !== 'null');
    if (rest.length === 1 && rest.length < alternatives.length && rest[0]) {
      const { anyOf: _a, oneOf: _o, ...outer } = schema;
      return { base: { ...rest[0], ...outer }, nullable: true };
    }
    return { base: schema, nullable: false };
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    const nullable = types.length < schema.type.length;
    return { base: { ...schema, type: types.length === 1 ? types[0] : types }, nullable };
  }
  return { base: schema, nullable: false };
}

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return undefined;
  if (schema.anyOf || schema.oneOf) return undefined;
  if (schema.enum?.every((v) => typeof v === 'string')) return 'string';
  if (schema.properties) return 'object';
  return undefined;
}

const stringEnum = (schema: JsonSchema): string[] | undefined =>
  schema.enum?.every((v) => typeof v === 'string') ? (schema.enum as string[]) : undefined;

const simpleKinds = new Set(['text', 'select', 'number', 'switch']);

/** The field for one property of a schema; anything it cannot draw becomes JSON text. */
export function fieldOf(key: string, schema: JsonSchema, required = false): Field {
  const { base, nullable } = withoutNull(schema);
  const common: Common = {
    key,
    label: base.title ?? humanize(key),
    required,
    hasDefault: 'default' in schema,
    ...(base.description === undefined ? {} : { description: base.description }),
    ...('default' in schema ? { default: schema.default } : {}),
  };
  const type = typeOf(base);
  const options = stringEnum(base);
  if (options && type === 'string') return { ...common, kind: 'select', options, nullable };
  if (type === 'string') {
    return {
      ...common,
      kind: 'text',
      nullable,
      ...(base.minLength === undefined ? {} : { minLength: base.minLength }),
      ...(base.maxLength === undefined ? {} : { maxLength: base.maxLength }),
      ...(base.pattern === undefined ? {} : { pattern: base.pattern }),
    };
  }
  if (type === 'integer' || type === 'number') {
    return {
      ...common,
      kind: 'number',
      integer: type === 'integer',
      nullable,
      ...(base.minimum === undefined ? {} : { min: base.minimum }),
      ...(base.maximum === undefined ? {} : { max: base.maximum }),
    };
  }
  if (type === 'boolean' && !nullable) return { ...common, kind: 'switch' };
  const bounds = {
    ...(base.minItems === undefined ? {} : { minItems: base.minItems }),
    ...(base.maxItems === undefined ? {} : { maxItems: base.maxItems }),
  };
  if (type === 'array' && base.items && !nullable) {
    const item = withoutNull(base.items);
    const itemType = item.nullable ? undefined : typeOf(item.base);
    if (itemType === 'string') {
      const itemOptions = stringEnum(item.base);
      return { ...common, kind: 'tags', ...(itemOptions ? { options: itemOptions } : {}), ...bounds };
    }
    if (itemType === 'object' && item.base.properties) {
      const row = fieldOf('', item.base, true);
      if (row.kind === 'object' && row.fields.every((f) => simpleKinds.has(f.kind))) {
        return { ...common, kind: 'rows', itemLabel: singular(common.label), fields: row.fields, ...bounds };
      }
    }
  }
  if (type === 'object' && base.properties && !nullable) {
    const requiredKeys = new Set(base.required ?? []);
    const fields = Object.entries(base.properties).map(([name, property]) =>
      fieldOf(name, property, requiredKeys.has(name)),
    );
    return { ...common, kind: 'object', fields };
  }
  return { ...common, kind: 'json' };
}

/** The form for a whole config: an object of fields, or one JSON field for any other schema. */
export function formOf(schema: JsonSchema): Field {
  const root = fieldOf('', schema, true);
  return root.kind === 'object' ? root : { ...root, kind: 'json', label: 'Configuration (JSON)' };
}

/** What a field shows first: the current config's value, else the schema's default, else empty. */
export function initialValue(field: Field, current: unknown): FormValue {
  const value = current === undefined ? field.default : current;
  switch (field.kind) {
    case 'text':
    case 'select':
      return typeof value === 'string' ? value : '';
    case 'number':
      return typeof value === 'number' ? value : '';
    case 'switch':
      return value === true;
    case 'tags':
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    case 'object': {
      const source = isObject(value) ? value : {};
      return Object.fromEntries(field.fields.map((f) => [f.key, initialValue(f, source[f.key])]));
    }
    case 'rows': {
      const rows = Array.isArray(value) ? value.filter(isObject) : [];
      return rows.map((row) =>
        Object.fromEntries(field.fields.map((f) => [f.key, initialValue(f, row[f.key])])),
      );
    }
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

/** A new, empty row of a `rows` field: each column at its default. */
export function emptyRow(field: Extract<Field, { kind: 'rows' }>): FormValues {
  return Object.fromEntries(field.fields.map((f) => [f.key, initialValue(f, undefined)]));
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * The config value of a field, or `undefined` to leave it out (empty, or its default: the
 * gateway applies defaults itself, and the stored config stays as short as the person wrote it).
 */
function readField(field: Field, value: FormValue | undefined, path: string, errors: FieldError[]): unknown {
  const read = readRaw(field, value, path, errors);
  if (read === undefined) {
    if (field.required && field.kind !== 'object') errors.push({ path, message: 'is required' });
    return undefined;
  }
  if (!field.required && field.hasDefault && deepEqual(read, field.default)) return undefined;
  return read;
}

function readRaw(field: Field, value: FormValue | undefined, path: string, errors: FieldError[]): unknown {
  switch (field.kind) {
    case 'text':
    case 'select': {
      const text = typeof value === 'string' ? value : '';
      if (text === '') return field.nullable ? null : undefined;
      if (field.kind === 'text' && field.minLength !== undefined && text.length < field.minLength)
        errors.push({ path, message: `must be at least ${field.minLength} characters` });
      return text;
    }
    case 'number': {
      if (value === '' || value === undefined) return field.nullable ? null : undefined;
      const number = Number(value);
      if (!Number.isFinite(number)) errors.push({ path, message: 'must be a number' });
      else if (field.integer && !Number.isInteger(number))
        errors.push({ path, message: 'must be a whole number' });
      else if (field.min !== undefined && number < field.min)
        errors.push({ path, message: `must be ${field.min} or more` });
      else if (field.max !== undefined && number > field.max)
        errors.push({ path, message: `must be ${field.max} or less` });
      return number;
    }
    case 'switch':
      return value === true;
    case 'tags':
      return Array.isArray(value) ? value : [];
    case 'object': {
      const values = isObject(value) ? (value as FormValues) : {};
      const entries = field.fields
        .map((f) => [f.key, readField(f, values[f.key], join(path, f.key), errors)] as const)
        .filter(([, v]) => v !== undefined);
      return entries.length === 0 ? (field.required ? {} : undefined) : Object.fromEntries(entries);
    }
    case 'rows': {
      const rows = Array.isArray(value) ? (value as FormValues[]) : [];
      return rows.map((row, index) => {
        const rowPath = `${path}[${index}]`;
        const entries = field.fields
          .map((f) => [f.key, readField(f, row[f.key], join(rowPath, f.key), errors)] as const)
          .filter(([, v]) => v !== undefined);
        return Object.fromEntries(entries);
      });
    }
    case 'json': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        errors.push({ path, message: 'is not valid JSON' });
        return undefined;
      }
    }
  }
}

/** The config to send for a form's values, or what to fix first. */
export function configOf(
  form: Field,
  values: FormValue,
): { ok: true; config: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const read =
    form.kind === 'object' ? readField(form, values, '', errors) : readRaw(form, values, '', errors);
  if (errors.length > 0) return { ok: false, errors };
  if (read === undefined) return { ok: true, config: {} };
  if (!isObject(read)) return { ok: false, errors: [{ path: '', message: 'must be a JSON object' }] };
  return { ok: true, config: read };
}
