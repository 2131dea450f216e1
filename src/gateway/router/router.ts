// The router: host first, then path, then method. One trie per exact host name, one per wildcard
// (`*.example.com`, keyed by `example.com`), and one for APIs that accept any host. They are
// searched in that order, each a fallback for the one before, so an API that names the host
// beats one that covers it by a wildcard, which beats one that takes any host.
import type { Segment } from '../../shared/path-pattern.ts';
import { type Clash, RouteTrie } from './trie.ts';

/** The host name of a Host header: lower-cased, without the port or a trailing dot. */
export function hostName(header: string | undefined): string {
  if (header === undefined || header === '') return '';
  let end = header.length;
  if (header.charCodeAt(0) === 91) {
    const close = header.indexOf(']'); // IPv6 literal: "[::1]:8000"
    if (close !== -1) end = close + 1;
  } else {
    const colon = header.indexOf(':');
    if (colon !== -1) end = colon;
  }
  if (end > 1 && header.charCodeAt(end - 1) === 46) end--;
  return (end === header.length ? header : header.slice(0, end)).toLowerCase();
}

/**
 * The key of the wildcard table that covers `host`: its parent domain, when the first label is
 * not empty. `*.example.com` covers exactly one more label: `a.example.com`, not `example.com`
 * nor `a.b.example.com`.
 */
export function wildcardParent(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot > 0 && dot < host.length - 1 ? host.slice(dot + 1) : undefined;
}

export class Router<T> {
  readonly #exact = new Map<string, RouteTrie<T>>();
  /** Tries of `*.parent` hosts, by parent. */
  readonly #wildcard = new Map<string, RouteTrie<T>>();
  readonly #anyHost = new RouteTrie<T>();

  /**
   * `hosts` are lower-case names or `*.parent` wildcards; empty means any host. Returns the
   * clash, if any.
   */
  add(
    hosts: readonly string[],
    segments: readonly Segment[],
    methods: readonly string[],
    value: T,
  ): Clash<T> | undefined {
    if (hosts.length === 0) return this.#anyHost.insert(segments, methods, value);
    for (const host of hosts) {
      const wildcard = host.startsWith('*.');
      const table = wildcard ? this.#wildcard : this.#exact;
      const key = wildcard ? host.slice(2) : host;
      let trie = table.get(key);
      if (trie === undefined) {
        trie = new RouteTrie<T>();
        table.set(key, trie);
      }
      const clash = trie.insert(segments, methods, value);
      if (clash !== undefined) return { ...clash, reason: `${clash.reason} on host ${host}` };
    }
    return undefined;
  }

  /** True when some API names hosts; otherwise the Host header need not be parsed at all. */
  get usesHosts(): boolean {
    return this.#exact.size > 0 || this.#wildcard.size > 0;
  }

  /** True when some API names `host`, exactly or by a wildcard (absolute-form targets need one). */
  servesHost(host: string): boolean {
    return this.#exact.has(host) || this.#wildcardTrie(host) !== undefined;
  }

  /** `path[0, end)` is the normalized path; see matchEnd() for `end`. */
  find(host: string, path: string, end: number, method: string): T | undefined {
    if (this.#exact.size > 0) {
      const found = this.#exact.get(host)?.find(path, end, method);
      if (found !== undefined) return found;
    }
    if (this.#wildcard.size > 0) {
      const found = this.#wildcardTrie(host)?.find(path, end, method);
      if (found !== undefined) return found;
    }
    return this.#anyHost.find(path, end, method);
  }

  /** After find() failed: the methods some route allows on this path (sorted), or undefined for 404. */
  allowed(host: string, path: string, end: number): string[] | undefined {
    const methods = new Set<string>();
    let matched = this.#exact.get(host)?.allowed(path, end, methods) ?? false;
    if (this.#wildcardTrie(host)?.allowed(path, end, methods)) matched = true;
    if (this.#anyHost.allowed(path, end, methods)) matched = true;
    return matched ? [...methods].sort() : undefined;
  }

  #wildcardTrie(host: string): RouteTrie<T> | undefined {
    if (this.#wildcard.size === 0) return undefined;
    const parent = wildcardParent(host);
    return parent === undefined ? undefined : this.#wildcard.get(parent);
  }
}
