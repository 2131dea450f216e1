// A segment trie of route patterns for one host: lookup cost grows with the depth of the path,
// not with the number of routes. See README.md for the precedence rule it implements.
import type { Segment } from '../../shared/path-pattern.ts';

/** The routes that end at one pattern, by method. */
class Terminal<T> {
  readonly byMethod = new Map<string, T>();
  /** The route whose `methods` list is empty. */
  any: T | undefined = undefined;
  /** GET routes also answer HEAD unless a route names HEAD itself. */
  implicitHead: T | undefined = undefined;

  pick(method: string): T | undefined {
    return this.byMethod.get(method) ?? this.any ?? (method === 'HEAD' ? this.implicitHead : undefined);
  }

  addMethods(into: Set<string>): void {
    for (const method of this.byMethod.keys()) into.add(method);
    if (this.implicitHead !== undefined) into.add('HEAD');
  }
}

class TrieNode<T> {
  literal: Map<string, TrieNode<T>> | undefined = undefined;
  param: TrieNode<T> | undefined = undefined;
  /** A pattern ending here. */
  exact: Terminal<T> | undefined = undefined;
  /** A pattern ending in `*` here: matches the rest of the path, including nothing. */
  rest: Terminal<T> | undefined = undefined;
}

/** Why a route cannot be added, and the route already holding its place. */
export interface Clash<T> {
  reason: string;
  other: T;
}

export class RouteTrie<T> {
  readonly #root = new TrieNode<T>();

  /** Returns the clash when the pattern and a method are already taken by another route. */
  insert(segments: readonly Segment[], methods: readonly string[], value: T): Clash<T> | undefined {
    let node = this.#root;
    let terminal: Terminal<T> | undefined;
    for (const segment of segments) {
      if (segment.kind === 'literal') {
        node.literal ??= new Map();
        let child = node.literal.get(segment.value);
        if (child === undefined) {
          child = new TrieNode<T>();
          node.literal.set(segment.value, child);
        }
        node = child;
      } else if (segment.kind === 'param') {
        node.param ??= new TrieNode<T>();
        node = node.param;
      } else {
        node.rest ??= new Terminal<T>();
        terminal = node.rest;
      }
    }
    if (terminal === undefined) {
      node.exact ??= new Terminal<T>();
      terminal = node.exact;
    }
    if (methods.length === 0) {
      if (terminal.any !== undefined) {
        return { reason: 'another route already matches this path for every method', other: terminal.any };
      }
      terminal.any = value;
      return undefined;
    }
    for (const method of methods) {
      const other = terminal.byMethod.get(method);
      if (other !== undefined)
        return { reason: `another route already matches this path for ${method}`, other };
    }
    for (const method of methods) terminal.byMethod.set(method, value);
    if (methods.includes('GET') && !methods.includes('HEAD')) terminal.implicitHead = value;
    return undefined;
  }

  /** The most specific route for `path[0, end)` that allows `method`; `path` starts with "/". */
  find(path: string, end: number, method: string): T | undefined {
    return findFrom(this.#root, path, firstSegment(end), end, method);
  }

  /**
   * The methods allowed on `path[0, end)` by any pattern matching it, or undefined when no
   * pattern matches. Only asked after `find` failed, so it may be slower.
   */
  allowed(path: string, end: number, into: Set<string>): boolean {
    return collect(this.#root, path, firstSegment(end), end, into);
  }
}

// Segments run between slashes; `start` is where the next one begins, and the path is used up
// once `start > end`. The root path "/" has no segments at all.
function firstSegment(end: number): number {
  return end === 1 ? 2 : 1;
}

// Depth-first, literal before param before rest: the first match found is the most specific.
function findFrom<T>(
  node: TrieNode<T>,
  path: string,
  start: number,
  end: number,
  method: string,
): T | undefined {
  if (start > end) {
    return node.exact?.pick(method) ?? node.rest?.pick(method);
  }
  let stop = path.indexOf('/', start);
  if (stop === -1 || stop > end) stop = end;
  if (node.literal !== undefined) {
    const child = node.literal.get(path.slice(start, stop));
    if (child !== undefined) {
      const found = findFrom(child, path, stop + 1, end, method);
      if (found !== undefined) return found;
    }
  }
  if (node.param !== undefined && stop > start) {
    const found = findFrom(node.param, path, stop + 1, end, method);
    if (found !== undefined) return found;
  }
  return node.rest?.pick(method);
}

function collect<T>(node: TrieNode<T>, path: string, start: number, end: number, into: Set<string>): boolean {
  let matched = false;
  if (node.rest !== undefined) {
    node.rest.addMethods(into);
    matched = true;
  }
  if (start > end) {
    if (node.exact !== undefined) {
      node.exact.addMethods(into);
      matched = true;
    }
    return matched;
  }
  let stop = path.indexOf('/', start);
  if (stop === -1 || stop > end) stop = end;
  const child = node.literal?.get(path.slice(start, stop));
  if (child !== undefined && collect(child, path, stop + 1, end, into)) matched = true;
  if (node.param !== undefined && stop > start && collect(node.param, path, stop + 1, end, into))
    matched = true;
  return matched;
}
