// The router: host first, then path, then method. One trie per exact host name plus one for APIs
// that accept any host; a host's own trie is searched first, so an API that names the host
// beats one that does not, and the any-host trie is the fallback.
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

export class Router<T> {
  readonly #byHost = new Map<string, RouteTrie<T>>();
  readonly #anyHost = new RouteTrie<T>();

  /** `hosts` are lower-case names; empty means any host. Returns the clash, if any. */
  add(
    hosts: readonly string[],
    segments: readonly Segment[],
    methods: readonly string[],
    value: T,
  ): Clash<T> | undefined {
    if (hosts.length === 0) return this.#anyHost.insert(segments, methods, value);
    for (const host of hosts) {
      let trie = this.#byHost.get(host);
      if (trie === undefined) {
        trie = new RouteTrie<T>();
        this.#byHost.set(host, trie);
      }
      const clash = trie.insert(segments, methods, value);
      if (clash !== undefined) return { ...clash, reason: `${clash.reason} on host ${host}` };
    }
    return undefined;
  }

  /** True when some API names hosts; otherwise the Host header need not be parsed at all. */
  get usesHosts(): boolean {
    return this.#byHost.size > 0;
  }

  /** `path[0, end)` is the normalized path; see matchEnd() for `end`. */
  find(host: string, path: string, end: number, method: string): T | undefined {
    if (this.#byHost.size > 0) {
      const trie = this.#byHost.get(host);
      if (trie !== undefined) {
        const found = trie.find(path, end, method);
        if (found !== undefined) return found;
      }
    }
    return this.#anyHost.find(path, end, method);
  }

  /** After find() failed: the methods some route allows on this path (sorted), or undefined for 404. */
  allowed(host: string, path: string, end: number): string[] | undefined {
    const methods = new Set<string>();
    let matched = this.#byHost.get(host)?.allowed(path, end, methods) ?? false;
    if (this.#anyHost.allowed(path, end, methods)) matched = true;
    return matched ? [...methods].sort() : undefined;
  }
}
