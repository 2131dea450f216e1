// The contract the HTTP/1.1 client relies on in Node's undocumented `_http_common` parser (ADR
// 0014): a Node that changes any of it fails here.
import { describe, expect, it } from 'vitest';
import { HTTPParser, type NativeParser } from './llhttp.ts';

interface Parsed {
  status: number;
  headers: string[];
  keepAlive: boolean;
  body: string;
  complete: number;
}

function responseParser(skipBody = false): { parser: NativeParser; parsed: Parsed } {
  const parsed: Parsed = { status: 0, headers: [], keepAlive: false, body: '', complete: 0 };
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.RESPONSE, {}, 16_384, HTTPParser.kLenientNone);
  parser[HTTPParser.kOnHeaders] = (headers: string[]) => parsed.headers.push(...headers);
  parser[HTTPParser.kOnHeadersComplete] = (
    _major: number,
    _minor: number,
    headers: string[] | undefined,
    _method: unknown,
    _url: unknown,
    status: number,
    _message: string,
    _upgrade: boolean,
    keepAlive: boolean,
  ) => {
    if (headers !== undefined) parsed.headers.push(...headers);
    parsed.status = status;
    parsed.keepAlive = keepAlive;
    return skipBody ? 1 : 0;
  };
  parser[HTTPParser.kOnBody] = (chunk: Buffer) => {
    parsed.body += chunk.toString();
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    parsed.complete++;
  };
  return { parser, parsed };
}

describe("Node's llhttp binding", () => {
  it('parses a response head into raw name/value pairs and a chunked body, across chunks', () => {
    const { parser, parsed } = responseParser();
    const many = Array.from({ length: 40 }, (_, i) => `X-H${i}: v${i}\r\n`).join('');
    const wire = `HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n${many}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n`;
    for (let at = 0; at < wire.length; at += 17) {
      expect(parser.execute(Buffer.from(wire.slice(at, at + 17)))).not.toBeInstanceOf(Error);
    }
    expect(parsed.status).toBe(201);
    expect(parsed.headers.slice(0, 2)).toEqual(['Content-Type', 'text/plain']);
    expect(parsed.headers).toContain('X-H39');
    expect(parsed.headers.length).toBe(84);
    expect(parsed.keepAlive).toBe(true);
    expect(parsed.body).toBe('abcde');
    expect(parsed.complete).toBe(1);
    parser.close();
  });

  it('skips the body when told to (HEAD), and sees Connection: close', () => {
    const { parser, parsed } = responseParser(true);
    parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n'));
    expect(parsed.complete).toBe(1);
    expect(parsed.keepAlive).toBe(false);
    parser.close();
  });

  it('completes a body read until close on finish()', () => {
    const { parser, parsed } = responseParser();
    parser.execute(Buffer.from('HTTP/1.0 200 OK\r\n\r\npartial'));
    expect(parsed.complete).toBe(0);
    expect(parser.finish()).not.toBeInstanceOf(Error);
    expect(parsed.body).toBe('partial');
    expect(parsed.complete).toBe(1);
    parser.close();
  });

  it('returns an Error with an HPE_ code for what is not HTTP', () => {
    const { parser } = responseParser();
    const result = parser.execute(
      Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'),
    );
    expect(result).toBeInstanceOf(Error);
    expect((result as Error & { code: string }).code).toMatch(/^HPE_/);
    parser.close();
  });
});
