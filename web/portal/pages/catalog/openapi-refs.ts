// Local `$ref`s of an OpenAPI document (`#/components/schemas/Pet`, `#/components/parameters/…`):
// followed inside the same document, chains of them too, with loops and dead ends reported
// rather than followed for ever. References to other files are left unresolved.

export type Node = Record<string, unknown>;

export const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface Resolved {
  /** What the reference points to, or the node itself when it is no reference; undefined on a dead end. */
  node: unknown;
  /** The last reference followed (`#/components/schemas/Pet`), if any. */
  ref?: string;
  /** Why the node could not be reached: an external or missing reference, or a loop of references. */
  problem?: string;
}

/** The last segment of a reference, unescaped: `Pet` for `#/components/schemas/Pet`. */
export function refName(ref: string): string {
  const last = ref.split('/').at(-1) ?? ref;
  return unescapePart(last);
}

const unescapePart = (part: string) => {
  let text = part;
  try {
    text = decodeURIComponent(part);
  } catch {
    // Not percent-encoded after all: keep the text as written.
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
};

/** The value at a JSON pointer of the document (`#/components/schemas/Pet`), or undefined. */
export function pointer(document: Node, ref: string): unknown {
  if (ref === '#') return document;
  if (!ref.startsWith('#/')) return undefined;
  let target: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    if (Array.isArray(target)) target = target[Number(unescapePart(part))];
    else target = isNode(target) ? target[unescapePart(part)] : undefined;
  }
  return target;
}

/** Follows `node`'s `$ref`, and the `$ref` it reaches, until a node that is not a reference. */
export function resolveRef(document: Node, node: unknown): Resolved {
  const seen = new Set<string>();
  let current = node;
  let ref: string | undefined;
  while (isNode(current) && typeof current.$ref === 'string') {
    ref = current.$ref;
    if (seen.has(ref)) return { node: undefined, ref, problem: `${ref} refers to itself` };
    seen.add(ref);
    if (!ref.startsWith('#')) return { node: undefined, ref, problem: `${ref} is in another document` };
    current = pointer(document, ref);
    if (current === undefined) return { node: undefined, ref, problem: `${ref} is not in the document` };
  }
  return ref === undefined ? { node: current } : { node: current, ref };
}

/** The node behind any references, or undefined when it cannot be reached. */
export const resolved = (document: Node, node: unknown): unknown => resolveRef(document, node).node;
