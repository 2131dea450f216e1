// The head of an HTTP/1.1 request as one string, with the framing its body needs: as it is with a
// Content-Length, chunked without one, `content-length: 0` for a method that defines a body and
// has none (RFC 9110 §8.6). Built before a connection is taken, so an invalid request costs none.
import { isHeaderName, isHeaderValue } from '../header-syntax.ts';
import { UpstreamError, type UpstreamRequest } from './dispatch.ts';

const badTarget = /[^\x21-\x7e\x80-\xff]/;

export interface RequestHead {
  head: string;
  /** The body goes in chunked framing (no Content-Length was given). */
  chunked: boolean;
}

export function requestHead(request: UpstreamRequest): RequestHead | UpstreamError {
  const { method: verb, path, headers, body, headersChecked } = request;
  // A method is a token, as a header name is (RFC 9110 §9.1).
  if (!isHeaderName(verb)) return invalid(`the method ${JSON.stringify(verb)} may not be sent`);
  if (path === '' || badTarget.test(path)) return invalid('the request target may not be sent');
  let head = `${verb} ${path} HTTP/1.1\r\n`;
  let hasLength = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    const value = headers[i + 1] as string;
    if (!headersChecked && !(isHeaderName(name) && isHeaderValue(value)))
      return invalid(`the header ${JSON.stringify(name)} may not be sent with that value`);
    if (name === 'content-length') hasLength = true;
    head += `${name}: ${value}\r\n`;
  }
  let chunked = false;
  if (body === null) {
    if (!hasLength && (verb === 'POST' || verb === 'PUT' || verb === 'PATCH'))
      head += 'content-length: 0\r\n';
  } else if (!hasLength) {
    head += 'transfer-encoding: chunked\r\n';
    chunked = true;
  }
  return { head: `${head}\r\n`, chunked };
}

function invalid(message: string): UpstreamError {
  return new UpstreamError('TP_UPSTREAM_INVALID_REQUEST', message);
}
