// A built-in upstream that answers with what reached it, so demos and tests can see exactly what
// the gateway forwarded.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bytes of the request body returned as text; `bodyBytes` still counts all of it. */
export const echoBodyLimit = 64 * 1024;

export interface EchoReply {
  method: string;
  /** The path below the echo prefix, with "/" for none. */
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingMessage['headers'];
  body: string;
  bodyBytes: number;
}

function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}

/** Answers 200 JSON describing the request; `prefix` is stripped from the reported path. */
export function echo(req: IncomingMessage, res: ServerResponse, prefix = ''): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).slice(prefix.length) || '/';
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bodyBytes = 0;
  req.on('data', (chunk: Buffer) => {
    bodyBytes += chunk.length;
    if (keptBytes < echoBodyLimit) {
      const slice = chunk.subarray(0, echoBodyLimit - keptBytes);
      kept.push(slice);
      keptBytes += slice.length;
    }
  });
  req.on('end', () => {
    const reply: EchoReply = {
      method: req.method ?? 'GET',
      path,
      query: q === -1 ? {} : parseQuery(url.slice(q + 1)),
      headers: req.headers,
      body: Buffer.concat(kept).toString('utf8'),
      bodyBytes,
    };
    const body = JSON.stringify(reply);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}
