// HTTP/2 requests through the gateway, which is written against node:http's request and response.
// The compat API (Http2ServerRequest/Response) already gives the method, the url (:path), a
// socket that is the session's TLS socket (so `encrypted` and `remoteAddress` hold) and a response
// taking flat header arrays. What differs is made to look like HTTP/1.1 here, once per request:
//
// - :authority becomes Host (RFC 9113 §8.3.1), and pseudo-headers leave rawHeaders, so routing,
//   X-Forwarded-Host and the copied upstream headers see an ordinary request;
// - split Cookie fields are joined with "; " (RFC 9113 §8.2.3), as an HTTP/1.1 upstream expects;
// - a body without content-length (normal in HTTP/2) is marked `transfer-encoding: chunked`, so
//   the proxy streams it and the body limit counts it as it does a chunked HTTP/1.1 body;
// - the request timeout: a body still arriving after requestTimeoutMs gets 408, and the stream is
//   reset. (Header size is HTTP/2's SETTINGS_MAX_HEADER_LIST_SIZE; idle sessions close after the
//   keep-alive timeout: listeners/tls.ts.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { sendProblem } from '../problem.ts';
import { requestIdFor } from '../request-id.ts';

export function adaptHttp2Request(
  req: Http2ServerRequest,
  res: Http2ServerResponse,
  requestTimeoutMs: number,
): void {
  const headers = req.headers;
  const authority = headers[':authority'];
  if (typeof authority === 'string') headers.host = authority;
  const raw: string[] = [];
  if (typeof authority === 'string') raw.push('host', authority);
  let cookies: string | undefined;
  const source = req.rawHeaders;
  for (let i = 0; i < source.length; i += 2) {
    const name = source[i] as string;
    if (name.charCodeAt(0) === 58) continue; // ":method", ":path", …
    if (name === 'host' && typeof authority === 'string') continue;
    if (name === 'cookie') {
      cookies = cookies === undefined ? (source[i + 1] as string) : `${cookies}; ${source[i + 1]}`;
      continue;
    }
    raw.push(name, source[i + 1] as string);
  }
  if (cookies !== undefined) raw.push('cookie', cookies);
  Object.defineProperty(req, 'rawHeaders', { value: raw });

  if (req.stream.endAfterHeaders) return; // no body
  if (headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (res.headersSent) {
      req.stream.close(constants.NGHTTP2_CANCEL);
      return;
    }
    const requestId = requestIdFor(headers['x-request-id']);
    sendProblem(
      res as unknown as ServerResponse,
      'request-timeout',
      'The request was not received in time.',
      requestId,
    );
    res.once('finish', () => req.stream.close(constants.NGHTTP2_NO_ERROR));
  }, requestTimeoutMs);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  res.once('close', () => clearTimeout(timer));
}

/** The compat objects, handed to the gateway's node:http listener once adapted. */
export function asHttp1(
  req: Http2ServerRequest,
  res: Http2ServerResponse,
): [IncomingMessage, ServerResponse] {
  return [req as unknown as IncomingMessage, res as unknown as ServerResponse];
}
