// Code that calls one operation of an API, complete enough to paste and run: curl, JavaScript
// (fetch), Python (requests), Go (net/http) and Java (java.net.http). Pure text in, text out,
// so that each language's quoting is tested without a browser.

export interface SampleRequest {
  /** Where clients call the API, base path included: `https://gateway.example.com/weather`. */
  baseUrl: string;
  /** Below the base path, query string included: `/forecast?city=Oslo`. */
  path: string;
  method: string;
  /** The developer's key; without one, the samples say `YOUR_API_KEY`. */
  apiKey?: string;
  /** JSON sent as the body. POST, PUT and PATCH send `{}` without it; GET and HEAD never send one. */
  body?: string;
}

export type SampleLanguage = 'curl' | 'javascript' | 'python' | 'go' | 'java';

export interface CodeSample {
  language: SampleLanguage;
  /** The tab's name: `curl`, `JavaScript`… */
  label: string;
  code: string;
}

export const apiKeyPlaceholder = 'YOUR_API_KEY';
/** Where the gateway is, when the portal was not told. */
export const gatewayPlaceholder = 'https://YOUR_GATEWAY_HOST';

const alwaysBody = new Set(['POST', 'PUT', 'PATCH']);
const neverBody = new Set(['GET', 'HEAD']);

interface Prepared {
  url: string;
  method: string;
  key: string;
  /** The body as it is sent, and parsed when it is JSON. */
  body?: { text: string; json?: unknown };
}

export function codeSamples(request: SampleRequest): CodeSample[] {
  const prepared = prepare(request);
  return [
    { language: 'curl', label: 'curl', code: curl(prepared) },
    { language: 'javascript', label: 'JavaScript', code: javascript(prepared) },
    { language: 'python', label: 'Python', code: python(prepared) },
    { language: 'go', label: 'Go', code: go(prepared) },
    { language: 'java', label: 'Java', code: java(prepared) },
  ];
}

/**
 * The URL with the characters no URI may hold percent-encoded (a space, quotes, backslash…), so
 * that every client accepts it; `{placeholders}` from the document stay readable.
 */
export function sampleUrl(baseUrl: string, path: string): string {
  const below = path === '' ? '' : path.startsWith('/') || path.startsWith('?') ? path : `/${path}`;
  return `${baseUrl.replace(/\/+$/, '')}${below}`.replace(/[\s"<>\\^`|]/g, (c) => encodeURIComponent(c));
}

function prepare(request: SampleRequest): Prepared {
  const method = request.method.trim().toUpperCase() || 'GET';
  const key = request.apiKey?.trim() || apiKeyPlaceholder;
  const url = sampleUrl(request.baseUrl, request.path);
  const given = request.body?.trim() ? request.body : undefined;
  const text = neverBody.has(method) ? undefined : (given ?? (alwaysBody.has(method) ? '{}' : undefined));
  if (text === undefined) return { url, method, key };
  try {
    const json: unknown = JSON.parse(text);
    return { url, method, key, body: { text: JSON.stringify(json, null, 2), json } };
  } catch {
    return { url, method, key, body: { text } };
  }
}

/** Every line after the first moved right, to sit inside the surrounding code. */
const indentRest = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);

/** A double-quoted literal as JavaScript, Python, Go and Java all read it (JSON's escapes are theirs). */
const quoted = (text: string) => JSON.stringify(text);

const shellQuoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function curl({ url, method, key, body }: Prepared): string {
  const lines = [
    method === 'HEAD' ? `curl --head ${shellQuoted(url)}` : `curl --request ${method} ${shellQuoted(url)}`,
  ];
  lines.push(`  --header ${shellQuoted(`X-API-Key: ${key}`)}`);
  if (body) {
    lines.push(`  --header 'Content-Type: application/json'`);
    lines.push(`  --data-raw ${shellQuoted(body.text)}`);
  }
  return lines.join(' \\\n');
}

function javascript({ url, method, key, body }: Prepared): string {
  const headers = [`    "X-API-Key": ${quoted(key)},`];
  if (body) headers.push('    "Content-Type": "application/json",');
  // A JSON text is a JavaScript object literal, except where "__proto__" means something else.
  const bodyLine =
    body === undefined
      ? []
      : body.json !== undefined && !body.text.includes('"__proto__"')
        ? [`  body: JSON.stringify(${indentRest(body.text, '  ')}),`]
        : [`  body: ${quoted(body.text)},`];
  return [
    '// Node.js 18 or later (save as call.mjs, run node call.mjs), or a browser console.',
    `const response = await fetch(${quoted(url)}, {`,
    `  method: ${quoted(method)},`,
    '  headers: {',
    ...headers,
    '  },',
    ...bodyLine,
    '});',
    'console.log(response.status);',
    'console.log(await response.text());',
    '',
  ].join('\n');
}

/** A JSON value as a Python literal: `None`, `True`, dicts and lists indented by four. */
function pythonValue(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'None';
  if (typeof value === 'string') return quoted(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${pythonValue(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${quoted(k)}: ${pythonValue(v, inner)},`).join('\n')}\n${indent}}`;
}

const pythonMethods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function python({ url, method, key, body }: Prepared): string {
  const call = pythonMethods.has(method)
    ? [`response = requests.${method.toLowerCase()}(`, `    ${quoted(url)},`]
    : ['response = requests.request(', `    ${quoted(method)},`, `    ${quoted(url)},`];
  const headers = [`        "X-API-Key": ${quoted(key)},`];
  let bodyLines: string[] = [];
  if (body?.json !== undefined) bodyLines = [`    json=${pythonValue(body.json, '    ')},`];
  else if (body) {
    headers.push('        "Content-Type": "application/json",');
    bodyLines = [`    data=${quoted(body.text)},`];
  }
  return [
    'import requests',
    '',
    ...call,
    '    headers={',
    ...headers,
    '    },',
    ...bodyLines,
    ')',
    'print(response.status_code)',
    'print(response.text)',
    '',
  ].join('\n');
}

/** A raw string when it can be one (no backquote, no carriage return, which Go drops). */
const goString = (text: string) => (/[`\r]/.test(text) ? quoted(text) : `\`${text}\``);

function go({ url, method, key, body }: Prepared): string {
  const imports = ['"fmt"', '"io"', '"net/http"', ...(body ? ['"strings"'] : [])];
  const request = body
    ? [
        `\tbody := strings.NewReader(${goString(body.text)})`,
        `\treq, err := http.NewRequest(${quoted(method)}, ${quoted(url)}, body)`,
      ]
    : [`\treq, err := http.NewRequest(${quoted(method)}, ${quoted(url)}, nil)`];
  return [
    'package main',
    '',
    'import (',
    ...imports.map((i) => `\t${i}`),
    ')',
    '',
    'func main() {',
    ...request,
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    `\treq.Header.Set("X-API-Key", ${quoted(key)})`,
    ...(body ? ['\treq.Header.Set("Content-Type", "application/json")'] : []),
    '\tres, err := http.DefaultClient.Do(req)',
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer res.Body.Close()',
    '\tdata, err := io.ReadAll(res.Body)',
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tfmt.Println(res.Status)',
    '\tfmt.Println(string(data))',
    '}',
    '',
  ].join('\n');
}

/**
 * The body as a Java text block when it is JSON (backslashes doubled, since a text block reads
 * escapes; JSON never has three quotes in a row), else as one string literal.
 */
function javaBody(body: { text: string; json?: unknown }, indent: string): string {
  if (body.json === undefined) return quoted(body.text);
  const content = body.text.replace(/\\/g, '\\\\').replace(/"""/g, '""\\"');
  return `"""\n${indent}${indentRest(content, indent)}\n${indent}"""`;
}

function java({ url, method, key, body }: Prepared): string {
  const publisher = body
    ? 'HttpRequest.BodyPublishers.ofString(body)'
    : 'HttpRequest.BodyPublishers.noBody()';
  return [
    '// Java 17 or later: save as Main.java, run java Main.java.',
    'import java.net.URI;',
    'import java.net.http.HttpClient;',
    'import java.net.http.HttpRequest;',
    'import java.net.http.HttpResponse;',
    '',
    'public class Main {',
    '    public static void main(String[] args) throws Exception {',
    ...(body ? [`        String body = ${javaBody(body, '            ')};`] : []),
    '        HttpRequest request = HttpRequest.newBuilder()',
    `            .uri(URI.create(${quoted(url)}))`,
    `            .header("X-API-Key", ${quoted(key)})`,
    ...(body ? ['            .header("Content-Type", "application/json")'] : []),
    `            .method(${quoted(method)}, ${publisher})`,
    '            .build();',
    '        HttpResponse<String> response = HttpClient.newHttpClient()',
    '            .send(request, HttpResponse.BodyHandlers.ofString());',
    '        System.out.println(response.statusCode());',
    '        System.out.println(response.body());',
    '    }',
    '}',
    '',
  ].join('\n');
}
