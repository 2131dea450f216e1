import { describe, expect, it } from 'vitest';
import { type CodeSample, codeSamples, type SampleLanguage, sampleUrl } from './code-samples.ts';

const baseUrl = 'https://gateway.example.com/weather/';

function sample(samples: CodeSample[], language: SampleLanguage): string {
  const found = samples.find((s) => s.language === language);
  if (!found) throw new Error(`no ${language} sample`);
  return found.code;
}

/** Reads the double-quoted literal that starts at `from` the way Python, Go and Java read it. */
function readDoubleQuoted(code: string, from: number): { value: string; end: number } {
  expect(code[from]).toBe('"');
  const escapes: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    b: '\b',
    f: '\f',
    '"': '"',
    '\\': '\\',
  };
  let value = '';
  for (let i = from + 1; i < code.length; i++) {
    const c = code[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\n') throw new Error('a line break inside a string literal');
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = code[++i] as string;
    if (next === 'u') {
      value += String.fromCharCode(Number.parseInt(code.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (next in escapes) value += escapes[next];
    else throw new Error(`unknown escape \\${next}`);
  }
  throw new Error('an unterminated string literal');
}

/** The literal right after `marker`, decoded. */
function literalAfter(code: string, marker: string): string {
  const at = code.indexOf(marker);
  expect(at, `${marker} in\n${code}`).toBeGreaterThanOrEqual(0);
  return readDoubleQuoted(code, at + marker.length).value;
}

/** The words of a shell command line, as sh splits single-quoted words. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === "'") {
      const close = command.indexOf("'", i + 1);
      expect(close).toBeGreaterThan(i);
      word = (word ?? '') + command.slice(i + 1, close);
      i = close;
    } else if (c === '\\' && command[i + 1] === '\n') i++;
    else if (c === '\\') word = (word ?? '') + command[++i];
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

describe('code samples', () => {
  it('call the URL with the method and the X-API-Key header in every language', () => {
    const samples = codeSamples({ baseUrl, path: '/forecast', method: 'GET' });
    expect(samples.map((s) => s.label)).toEqual(['curl', 'JavaScript', 'Python', 'Go', 'Java']);
    const url = 'https://gateway.example.com/weather/forecast';
    for (const { language, code } of samples) {
      expect(code, language).toContain(url);
      expect(code, language).toContain('X-API-Key');
      expect(code, language).toContain('YOUR_API_KEY');
    }
    expect(sample(samples, 'curl')).toContain('--request GET');
    expect(sample(samples, 'javascript')).toContain('method: "GET"');
    expect(sample(samples, 'python')).toContain('requests.get(');
    expect(sample(samples, 'go')).toContain('http.NewRequest("GET", ');
    expect(sample(samples, 'java')).toContain('.method("GET", ');
  });

  it('send a JSON body with the methods that take one, and none with GET', () => {
    const post = codeSamples({
      baseUrl,
      path: '/alerts',
      method: 'post',
      body: '{"city":"Oslo","below":-5}',
    });
    for (const { language, code } of post) {
      expect(code, language).toContain(language === 'python' ? 'requests.post(' : 'POST');
      expect(code, language).toMatch(/Oslo/);
    }
    expect(sample(post, 'python')).toContain('json={\n        "city": "Oslo",\n        "below": -5,\n    },');
    expect(sample(post, 'go')).toContain('"strings"');
    expect(codeSamples({ baseUrl, path: '/alerts', method: 'PUT' }).every((s) => s.code.includes('{}'))).toBe(
      true,
    );
    const get = codeSamples({ baseUrl, path: '/alerts', method: 'GET', body: '{"ignored":true}' });
    for (const { language, code } of get) expect(code, language).not.toContain('ignored');
    expect(sample(get, 'go')).not.toContain('"strings"');
  });

  it('uses the key typed into try-it instead of the placeholder', () => {
    for (const { language, code } of codeSamples({
      baseUrl,
      path: '/',
      method: 'GET',
      apiKey: ' tp_live_abc ',
    })) {
      expect(code, language).toContain('tp_live_abc');
      expect(code, language).not.toContain('YOUR_API_KEY');
    }
  });

  it('quotes a path with a query string, and a key with quotes and backslashes, validly in each language', () => {
    const path = `/search?q=it's a "test"&lang=en&price=$5\\x`;
    const apiKey = `k"ey\\with'quotes`;
    const url = sampleUrl(baseUrl, path);
    expect(url).toBe(
      "https://gateway.example.com/weather/search?q=it's%20a%20%22test%22&lang=en&price=$5%5Cx",
    );
    const samples = codeSamples({
      baseUrl,
      path,
      method: 'POST',
      apiKey,
      body: '{"note":"a \\"quoted\\" \\\\ word"}',
    });

    const curlWords = shellWords(sample(samples, 'curl'));
    expect(curlWords.slice(0, 4)).toEqual(['curl', '--request', 'POST', url]);
    expect(curlWords).toContain(`X-API-Key: ${apiKey}`);
    expect(JSON.parse(curlWords[curlWords.length - 1] as string)).toEqual({ note: 'a "quoted" \\ word' });

    const python = sample(samples, 'python');
    expect(literalAfter(python, 'requests.post(\n    ')).toBe(url);
    expect(literalAfter(python, '"X-API-Key": ')).toBe(apiKey);
    expect(literalAfter(python, '"note": ')).toBe('a "quoted" \\ word');

    const go = sample(samples, 'go');
    expect(literalAfter(go, 'http.NewRequest("POST", ')).toBe(url);
    expect(literalAfter(go, 'req.Header.Set("X-API-Key", ')).toBe(apiKey);
    expect(go).toContain('strings.NewReader(`{\n  "note": "a \\"quoted\\" \\\\ word"\n}`)');

    const java = sample(samples, 'java');
    expect(literalAfter(java, 'URI.create(')).toBe(url);
    expect(literalAfter(java, '.header("X-API-Key", ')).toBe(apiKey);
    // In a text block a backslash starts an escape, so the JSON's own backslashes are doubled.
    expect(java).toContain('"note": "a \\\\"quoted\\\\" \\\\\\\\ word"');

    const javascript = sample(samples, 'javascript');
    expect(literalAfter(javascript, 'fetch(')).toBe(url);
    // The whole snippet compiles as the body of an async function (top-level await in a module).
    const AsyncFunction = (async () => {}).constructor as new (code: string) => unknown;
    expect(() => new AsyncFunction(javascript)).not.toThrow();
  });

  it('keeps a body that is not JSON as one string', () => {
    const samples = codeSamples({ baseUrl, path: '/raw', method: 'PATCH', body: 'not `json` "at all"' });
    expect(literalAfter(sample(samples, 'python'), 'data=')).toBe('not `json` "at all"');
    expect(literalAfter(sample(samples, 'go'), 'strings.NewReader(')).toBe('not `json` "at all"');
    expect(literalAfter(sample(samples, 'java'), 'String body = ')).toBe('not `json` "at all"');
  });
});
