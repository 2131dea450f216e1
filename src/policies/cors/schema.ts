// Configuration of the cors policy: which browser origins may call an API, and how.
import { z } from 'zod';

/** An HTTP header name (RFC 9110 token). */
const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** scheme://host[:port] as a browser sends it in Origin: no user, path, query or trailing slash. */
const originPattern =
  /^[a-z][a-z0-9+.-]*:\/\/(?:\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/i;
const defaultPorts: Record<string, string> = { http: '80', https: '443' };

const origin = z
  .string()
  .max(300)
  .refine(
    (value) => value === '*' || originPattern.test(value),
    'must be "*" or an origin such as https://app.example.com: a scheme, a host and an optional port, with no path, trailing slash or wildcard',
  )
  .refine((value) => {
    // Browsers leave the default port out of Origin, so an entry with it would never match.
    const port = originPattern.exec(value)?.[1];
    return port === undefined || defaultPorts[value.slice(0, value.indexOf(':')).toLowerCase()] !== port;
  }, 'must leave out the default port (https://app.example.com, not https://app.example.com:443): browsers never send it')
  .refine(
    (value) => Number(originPattern.exec(value)?.[1] ?? 0) <= 65535,
    'must have a port of at most 65535',
  );

const method = z
  .string()
  .max(32)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Z]+$/, 'must be an upper-case HTTP method');
const headerName = z.string().max(256).regex(headerNamePattern, 'must be a valid HTTP header name');

export const corsSchema = z
  .object({
    origins: z
      .array(origin)
      .min(1)
      .max(1000)
      .default(['*'])
      .describe(
        'Origins allowed to call the API from a browser, exactly as browsers send them (https://app.example.com; scheme and host match case-insensitively), or "*" for any. Default ["*"]; 1 to 1000.',
      ),
    methods: z
      .array(method)
      .min(1)
      .max(32)
      .default(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'])
      .describe(
        'Methods a preflight may ask for (Access-Control-Allow-Methods); a preflight for another is refused. Default ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]; 1 to 32, upper case.',
      ),
    headers: z
      .array(headerName)
      .max(100)
      .default([])
      .describe(
        'Request headers a browser may send (Access-Control-Allow-Headers). Default []: the headers a preflight asks for (Access-Control-Request-Headers) are allowed; at most 100.',
      ),
    exposeHeaders: z
      .array(headerName)
      .max(100)
      .default([])
      .describe(
        'Response headers, beyond the CORS-safelisted ones, that browser scripts may read (Access-Control-Expose-Headers). Default []; at most 100.',
      ),
    credentials: z
      .boolean()
      .default(false)
      .describe(
        'Let browsers send cookies and HTTP authentication (Access-Control-Allow-Credentials: true). With "*" in origins, the request origin is then sent back instead of "*", which browsers refuse with credentials. Default false.',
      ),
    maxAgeSeconds: z
      .number()
      .int()
      .min(0)
      .max(86400)
      .default(3600)
      .describe(
        'How long browsers may cache a preflight answer (Access-Control-Max-Age). Default 3600; 0 to 86400. Browsers cap it themselves (Chromium at 7200).',
      ),
    privateNetwork: z
      .boolean()
      .default(false)
      .describe(
        'Answer Access-Control-Allow-Private-Network: true to preflights that ask for it, so pages on the public internet may call an API on a private network. Default false.',
      ),
  })
  .strict();

export type CorsConfig = z.infer<typeof corsSchema>;
