// Request body limits per API (SnapshotApi.maxBodyBytes; 413 payload-too-large above). A declared
// Content-Length over the limit is refused before any policy runs, without reading the body. A
// body without one (chunked, or HTTP/2 without content-length) is counted as it streams: once
// past the limit the client gets 413 if nothing was sent yet, and both sides are cut.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from './problem.ts';

function detail(limit: number): string {
  return `The request body is larger than this API accepts (${limit} bytes).`;
}

/** True to go on; false when the request was refused with 413 already. */
export function enforceBodyLimit(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  requestId: string,
): boolean {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    if (Number(declared) <= limit) return true; // the parser holds the body to its length
    // Close rather than read a body nobody wants.
    res.shouldKeepAlive = false;
    sendProblem(res, 'payload-too-large', detail(limit), requestId);
    return false;
  }
  if (req.headers['transfer-encoding'] !== undefined) countBody(req, res, limit, requestId);
  return true;
}

function countBody(req: IncomingMessage, res: ServerResponse, limit: number, requestId: string): void {
  let received = 0;
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received <= limit) return;
    req.off('data', onData);
    req.pause();
    if (res.headersSent) {
      // The upstream has answered already: nothing left to say, cut both sides.
      res.destroy();
      req.destroy();
      return;
    }
    res.shouldKeepAlive = false;
    sendProblem(res, 'payload-too-large', detail(limit), requestId);
    // Once the answer is out, drop the connection (HTTP/1.1) or stream (HTTP/2); the proxy sees
    // the client go and aborts the upstream request.
    res.once('finish', () => req.destroy());
  };
  // Paused first, so that listening does not start the flow before the proxy reads the body;
  // 'data' then fires for every chunk it reads, whichever way it reads.
  req.pause();
  req.on('data', onData);
}
