// The API reference read from an OpenAPI document: every operation with an anchor to link to, its
// parameters, request body and responses (schemas as `schema-view.ts` shows them, examples as the
// document gives them) and its security in words; grouped by tag when the document uses tags.
import { type Operation, requestExample } from './openapi.ts';
import { isNode, type Node, resolved, resolveRef } from './openapi-refs.ts';
import { type SchemaView, schemaView } from './schema-view.ts';
import { securityOf } from './security.ts';

export interface ExampleView {
  /** The example's summary or name, when there are several. */
  label?: string;
  description?: string;
  /** Text as written, anything else as indented JSON. */
  value?: string;
  /** Where the example lives when it is not in the document. */
  externalValue?: string;
}

export interface MediaView {
  /** `application/json`… */
  type: string;
  schema?: SchemaView;
  examples: ExampleView[];
}

export interface ParameterView {
  name: string;
  /** `path`, `query`, `header` or `cookie`. */
  in: string;
  required: boolean;
  deprecated: boolean;
  description?: string;
  schema?: SchemaView;
  examples: ExampleView[];
}

export interface HeaderView {
  name: string;
  required: boolean;
  description?: string;
  schema?: SchemaView;
}

export interface ResponseView {
  /** `200`, `4XX`, `default`. */
  status: string;
  /** The status in words: `OK`, `Any 4xx status`, `Any other status`. */
  label: string;
  description?: string;
  headers: HeaderView[];
  content: MediaView[];
}

export interface OperationView extends Operation {
  /** The anchor: `op-` and the operationId, or the method and path. */
  id: string;
  operationId?: string;
  description?: string;
  deprecated: boolean;
  /** Any one of these authenticates; `[]`: none needed; undefined: the document does not say. */
  security?: string[];
  parameters: ParameterView[];
  requestBody?: { description?: string; required: boolean; content: MediaView[] };
  responses: ResponseView[];
}

export interface OperationGroup {
  /** The tag; undefined for operations without one (and for all when the document uses none). */
  tag?: string;
  description?: string;
  operations: OperationView[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The operations of the document, in its order, grouped by their first tag when there are tags. */
export function referenceOf(document: Node | null): OperationGroup[] {
  if (!document || !isNode(document.paths)) return [];
  const used = new Set<string>();
  const operations: { view: OperationView; tag?: string }[] = [];
  for (const [path, entry] of Object.entries(document.paths)) {
    const item = resolved(document, entry);
    if (!isNode(item)) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!isNode(operation)) continue;
      const view = operationView(document, path, method, item, operation);
      view.id = unique(used, view.id);
      const tag = Array.isArray(operation.tags) ? text(operation.tags[0]) : undefined;
      operations.push({ view, ...(tag && { tag }) });
    }
  }
  if (operations.every((o) => o.tag === undefined)) {
    return operations.length === 0 ? [] : [{ operations: operations.map((o) => o.view) }];
  }
  // The document's own list of tags sets the order; tags it does not list follow as they appear.
  const declared = Array.isArray(document.tags) ? document.tags.filter(isNode) : [];
  const order = [...declared.map((t) => text(t.name)), ...operations.map((o) => o.tag)];
  const tags = [...new Set(order.filter((t): t is string => t !== undefined))];
  const groups: OperationGroup[] = [];
  for (const tag of tags) {
    const members = operations.filter((o) => o.tag === tag).map((o) => o.view);
    if (members.length === 0) continue;
    const description = text(declared.find((t) => t.name === tag)?.description);
    groups.push({ tag, ...(description && { description }), operations: members });
  }
  const untagged = operations.filter((o) => o.tag === undefined).map((o) => o.view);
  if (untagged.length > 0) groups.push({ operations: untagged });
  return groups;
}

/** `op-getForecast`, or `op-get-forecast-city` for GET /forecast/{city} without an operationId. */
export function anchorOf(method: string, path: string, operationId?: string): string {
  const slug = (value: string) =>
    value
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
  const id = operationId ? slug(operationId) : '';
  return `op-${id || slug(`${method.toLowerCase()}-${path}`) || method.toLowerCase()}`;
}

function unique(used: Set<string>, id: string): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}

function operationView(
  document: Node,
  path: string,
  method: string,
  item: Node,
  operation: Node,
): OperationView {
  const operationId = text(operation.operationId);
  const description = text(operation.description);
  const security = securityOf(document, operation);
  const example = requestExample(document, operation);
  const body = resolved(document, operation.requestBody);
  return {
    id: anchorOf(method, path, operationId),
    method: method.toUpperCase(),
    path,
    summary: text(operation.summary) ?? '',
    ...(example !== undefined && { example: JSON.stringify(example, null, 2) }),
    ...(operationId && { operationId }),
    ...(description && { description }),
    deprecated: operation.deprecated === true,
    ...(security && { security }),
    parameters: parametersOf(document, item, operation),
    ...(isNode(body) && {
      requestBody: {
        ...(text(body.description) && { description: text(body.description) }),
        required: body.required === true,
        content: contentOf(document, body.content),
      },
    }),
    responses: responsesOf(document, operation.responses),
  };
}

/** The path's parameters and the operation's, the operation's winning on the same name and place. */
function parametersOf(document: Node, item: Node, operation: Node): ParameterView[] {
  const list = (value: unknown) =>
    (Array.isArray(value) ? value : []).map((p) => resolved(document, p)).filter(isNode);
  const byKey = new Map<string, Node>();
  for (const parameter of [...list(item.parameters), ...list(operation.parameters)]) {
    byKey.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
  }
  return [...byKey.values()].map((parameter) => {
    const place = String(parameter.in ?? 'query');
    const description = text(parameter.description);
    const schema = parameter.schema ?? firstMedia(parameter.content)?.schema;
    return {
      name: String(parameter.name ?? ''),
      in: place,
      required: place === 'path' || parameter.required === true,
      deprecated: parameter.deprecated === true,
      ...(description && { description }),
      ...(schema !== undefined && { schema: schemaView(document, schema) }),
      examples: examplesOf(document, parameter),
    };
  });
}

const firstMedia = (content: unknown): Node | undefined => {
  const first = isNode(content) ? Object.values(content)[0] : undefined;
  return isNode(first) ? first : undefined;
};

function contentOf(document: Node, content: unknown): MediaView[] {
  if (!isNode(content)) return [];
  return Object.entries(content).map(([type, media]) => ({
    type,
    ...(isNode(media) && media.schema !== undefined && { schema: schemaView(document, media.schema) }),
    examples: isNode(media) ? examplesOf(document, media) : [],
  }));
}

/** `example`, or the named `examples` (each maybe a `$ref` to `#/components/examples/…`). */
function examplesOf(document: Node, holder: Node): ExampleView[] {
  if (holder.example !== undefined) return [{ value: shown(holder.example) }];
  if (!isNode(holder.examples)) return [];
  const named = Object.entries(holder.examples);
  return named.flatMap(([name, entry]) => {
    const example = resolved(document, entry);
    if (!isNode(example)) return [];
    const label = text(example.summary) ?? (named.length > 1 ? name : undefined);
    const description = text(example.description);
    const external = text(example.externalValue);
    return [
      {
        ...(label && { label }),
        ...(description && { description }),
        ...(example.value !== undefined && { value: shown(example.value) }),
        ...(external && { externalValue: external }),
      },
    ];
  });
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function responsesOf(document: Node, responses: unknown): ResponseView[] {
  if (!isNode(responses)) return [];
  return Object.entries(responses).map(([status, entry]) => {
    const response = resolveRef(document, entry).node;
    const node = isNode(response) ? response : {};
    const description = text(node.description);
    const headers = isNode(node.headers) ? Object.entries(node.headers) : [];
    return {
      status,
      label: statusWords(status),
      ...(description && { description }),
      headers: headers.flatMap(([name, value]) => {
        const header = resolved(document, value);
        if (!isNode(header)) return [];
        const about = text(header.description);
        const schema = header.schema ?? firstMedia(header.content)?.schema;
        return [
          {
            name,
            required: header.required === true,
            ...(about && { description: about }),
            ...(schema !== undefined && { schema: schemaView(document, schema) }),
          },
        ];
      }),
      content: contentOf(document, node.content),
    };
  });
}

const reasons: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No Content',
  '301': 'Moved Permanently',
  '302': 'Found',
  '303': 'See Other',
  '304': 'Not Modified',
  '307': 'Temporary Redirect',
  '308': 'Permanent Redirect',
  '400': 'Bad Request',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'Not Found',
  '405': 'Method Not Allowed',
  '406': 'Not Acceptable',
  '409': 'Conflict',
  '410': 'Gone',
  '412': 'Precondition Failed',
  '413': 'Content Too Large',
  '415': 'Unsupported Media Type',
  '422': 'Unprocessable Content',
  '429': 'Too Many Requests',
  '500': 'Internal Server Error',
  '501': 'Not Implemented',
  '502': 'Bad Gateway',
  '503': 'Service Unavailable',
  '504': 'Gateway Timeout',
};

/** `OK` for 200, `Any 4xx status` for 4XX, `Any other status` for default. */
export function statusWords(status: string): string {
  if (status === 'default') return 'Any other status';
  if (/^[1-5]XX$/i.test(status)) return `Any ${status[0]}xx status`;
  return reasons[status] ?? '';
}
