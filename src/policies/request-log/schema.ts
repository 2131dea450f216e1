// Configuration of the request-log policy: how many requests to keep, for how long, and what of
// them. Credentials are redacted whatever this says (redact.ts).
import { z } from 'zod';

/** Most bytes of a body kept: the control plane stores bodies of at most 1 MiB. */
export const maxCapturedBytes = 1_048_576;

const rate = (what: string) =>
  z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(`Share of ${what} written to the log, from 0 (none) to 1 (all). Default 1.`);

const headerName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid HTTP header name');
const paramName = z.string().min(1).max(200);

export const requestLogSchema = z
  .object({
    sampleRate: rate('requests answered with a status below 400'),
    errorSampleRate: rate(
      'requests answered with a status of 400 or more (errors, refusals, 499 when the client left)',
    ),
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(7)
      .describe('Days the control plane keeps each entry before deleting it. Default 7; 1 to 3650.'),
    headers: z
      .boolean()
      .default(true)
      .describe(
        'Log the request and response headers, with credentials and the redactHeaders redacted. Default true; false logs none.',
      ),
    redactHeaders: z
      .array(headerName)
      .max(100)
      .default([])
      .describe(
        'Headers whose values are logged as [redacted], beyond those always redacted (Authorization, Cookie, Set-Cookie, X-API-Key and any name containing key, token, secret, password, auth, signature, cookie, session or credential). Case-insensitive. Default []; at most 100.',
      ),
    redactQuery: z
      .array(paramName)
      .max(100)
      .default([])
      .describe(
        'Query parameters (and form fields of form bodies) whose values are logged as [redacted], beyond those always redacted (any name containing key, token, secret, password, auth, signature, cookie, session or credential, and sig, code, code_verifier, pwd, pass, passwd, client_assertion, assertion). Case-insensitive. Default []; at most 100.',
      ),
    captureBody: z
      .object({
        request: z
          .boolean()
          .default(false)
          .describe(
            'Log the first maxBytes of the request body, as it streams to the upstream. Default false.',
          ),
        response: z
          .boolean()
          .default(false)
          .describe(
            'Log the first maxBytes of the response body, as it streams to the client. Default false.',
          ),
        maxBytes: z
          .number()
          .int()
          .min(1)
          .max(maxCapturedBytes)
          .default(8192)
          .describe(
            'Bytes of each body logged, at most; the rest streams on unlogged. Default 8192; 1 to 1048576.',
          ),
      })
      .strict()
      .default({ request: false, response: false, maxBytes: 8192 })
      .describe(
        'Body capture, for audit: off by default. Bodies are logged as sent (decoded as UTF-8) and are not redacted, except that Turnpike-issued secrets and JWTs in them are replaced (one the cut at maxBytes left partial too) and the credential fields of form bodies are. A compressed body is logged as [compressed: gzip], a binary one (image, audio, video, font, octet-stream, zip, gzip, pdf, wasm, gRPC, protobuf) as [binary: type, N bytes]. Default { request: false, response: false, maxBytes: 8192 }.',
      ),
  })
  .strict();

export type RequestLogConfig = z.infer<typeof requestLogSchema>;
