// Reading declarative files: YAML or JSON (JSON is YAML too), from a path or standard input.
// Keeps the parsed YAML document so errors about a field can point at its line.
import { readFileSync } from 'node:fs';
import { type Document, isNode, parseDocument } from 'yaml';

export class ConfigFileError extends Error {}

export interface ConfigFile {
  name: string;
  data: unknown;
  /** Line (1-based) where the value at a path such as `apis[2].routes[0].path` starts. */
  lineOf(path: string): number | undefined;
}

export function readConfigFile(file: string): ConfigFile {
  const name = file === '-' ? 'standard input' : file;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(
      `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length) {
    throw new ConfigFileError(`${name} is not valid YAML or JSON: ${document.errors[0]?.message}`);
  }
  const data = document.toJS({ maxAliasCount: 1000 }) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError(`${name} must hold an object with upstreams, apis, products and accounts`);
  }
  return { name, data, lineOf: (path) => lineOf(document, text, path) };
}

function lineOf(document: Document, text: string, path: string): number | undefined {
  const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''),
  );
  for (let n = parts.length; n > 0; n--) {
    const node = document.getIn(parts.slice(0, n), true);
    if (isNode(node) && node.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return undefined;
}
