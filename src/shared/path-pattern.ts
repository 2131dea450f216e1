// Route path patterns, shared by the control plane (which validates them) and the gateway
// (which compiles them into its router).
//
//   /forecast            a literal path
//   /cities/{city}       `{name}` matches exactly one non-empty segment
//   /files/*             a final `*` matches the rest of the path, including nothing
//
// A base path is a literal pattern: `/` or `/a/b` without a trailing slash.

export type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'rest' };

export type ParsedPattern = { ok: true; segments: Segment[] } | { ok: false; message: string };

const literalSegment = /^[A-Za-z0-9\-._~!$&'()+,;=:@%]+$/;
const paramSegment = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function parsePathPattern(pattern: string): ParsedPattern {
  if (!pattern.startsWith('/')) return { ok: false, message: 'must start with "/"' };
  if (pattern === '/') return { ok: true, segments: [] };
  const parts = pattern.slice(1).split('/');
  if (parts.at(-1) === '') parts.pop(); // one trailing slash is insignificant
  const segments: Segment[] = [];
  const names = new Set<string>();
  for (const [i, part] of parts.entries()) {
    if (part === '*') {
      if (i !== parts.length - 1) return { ok: false, message: '"*" may only be the last segment' };
      segments.push({ kind: 'rest' });
      continue;
    }
    const param = paramSegment.exec(part);
    if (param?.[1]) {
      if (names.has(param[1])) return { ok: false, message: `parameter "{${param[1]}}" appears twice` };
      names.add(param[1]);
      segments.push({ kind: 'param', name: param[1] });
      continue;
    }
    if (part === '') return { ok: false, message: 'must not contain empty segments ("//")' };
    if (part === '.' || part === '..') return { ok: false, message: 'must not contain "." or ".." segments' };
    if (!literalSegment.test(part)) {
      return {
        ok: false,
        message: `segment "${part}" has characters not allowed in a path, or a malformed "{param}"`,
      };
    }
    segments.push({ kind: 'literal', value: part });
  }
  return { ok: true, segments };
}

export function validateBasePath(basePath: string): string | undefined {
  const parsed = parsePathPattern(basePath);
  if (!parsed.ok) return parsed.message;
  if (parsed.segments.some((s) => s.kind !== 'literal'))
    return 'must be a literal path, without "{param}" or "*"';
  if (basePath.length > 1 && basePath.endsWith('/')) return 'must not end with "/"';
  return undefined;
}

/** The pattern as the gateway matches it: base path and route path joined. */
export function joinPattern(basePath: string, routePath: string): string {
  const base = basePath === '/' ? '' : basePath;
  if (routePath === '/') return base || '/';
  return base + routePath;
}
