// What the try-it form reads from an OpenAPI document: a path to start with, and an example body
// for operations that take JSON, from the document's examples or else made up from the schema.
import { isNode, type Node, resolved as resolve } from './openapi-refs.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Operation {
  /** `GET`, `POST`… */
  method: string;
  path: string;
  summary: string;
  /** The JSON request body to start with, as indented text; absent without a JSON body. */
  example?: string;
}

/** A path to start the try-it form with: the document's first GET without parameters. */
export function firstPath(document: Node | null): string {
  const pathItems = isNode(document?.paths) ? document.paths : {};
  const found = Object.entries(pathItems).find(
    ([path, item]) => !path.includes('{') && isNode(item) && item.get,
  );
  return found?.[0] ?? '/';
}

export function requestExample(document: Node, operation: Node): Json | undefined {
  const body = resolve(document, operation.requestBody);
  const content = isNode(body) && isNode(body.content) ? body.content : undefined;
  if (!content) return undefined;
  const type = Object.keys(content).find((t) => t === 'application/json' || /[/+]json\b/.test(t));
  const media = type === undefined ? undefined : content[type];
  if (!isNode(media)) return undefined;
  if (media.example !== undefined) return media.example as Json;
  if (isNode(media.examples)) {
    const first = resolve(document, Object.values(media.examples)[0]);
    if (isNode(first) && first.value !== undefined) return first.value as Json;
  }
  return media.schema === undefined ? {} : exampleOf(document, media.schema, 0);
}

/** A value the schema accepts, plausible enough to edit: its example, default or first enum value. */
function exampleOf(document: Node, node: unknown, depth: number): Json {
  const schema = resolve(document, node);
  if (!isNode(schema) || depth > 6) return null;
  if (schema.example !== undefined) return schema.example as Json;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0] as Json;
  if (schema.default !== undefined) return schema.default as Json;
  if (schema.const !== undefined) return schema.const as Json;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as Json;
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => exampleOf(document, part, depth + 1));
    return Object.assign({}, ...parts.filter((p) => isNode(p) && !Array.isArray(p)));
  }
  for (const choice of [schema.oneOf, schema.anyOf]) {
    if (Array.isArray(choice) && choice.length > 0) return exampleOf(document, choice[0], depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || isNode(schema.properties)) {
    const properties = isNode(schema.properties) ? schema.properties : {};
    const result: { [key: string]: Json } = {};
    for (const [name, property] of Object.entries(properties)) {
      const resolved = resolve(document, property);
      if (isNode(resolved) && resolved.readOnly === true) continue;
      result[name] = exampleOf(document, property, depth + 1);
    }
    return result;
  }
  switch (type) {
    case 'array':
      return [exampleOf(document, schema.items, depth + 1)];
    case 'string':
      return schema.format === 'date-time'
        ? '2025-01-01T00:00:00Z'
        : schema.format === 'date'
          ? '2025-01-01'
          : schema.format === 'email'
            ? 'dana@example.com'
            : 'string';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return true;
    default:
      return null;
  }
}
