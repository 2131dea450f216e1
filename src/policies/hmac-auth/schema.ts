// Configuration of the hmac-auth policy: which algorithms a signature may use, which headers it
// must cover, and how far the signed date may be from the gateway's clock.
import { z } from 'zod';

export const hmacAlgorithms = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;
export type HmacAlgorithm = (typeof hmacAlgorithms)[number];

/** `@request-target`, or a lower-case header name (an RFC 9110 token). */
export const signedHeaderName = /^(?:@request-target|[a-z0-9!#$%&'*+.^_`|~-]+)$/;

export const hmacAuthSchema = z
  .object({
    algorithms: z
      .array(z.enum(hmacAlgorithms))
      .min(1)
      .max(hmacAlgorithms.length)
      .default([...hmacAlgorithms])
      .describe(
        'Algorithms a signature may use (its `algorithm` parameter). Default ["hmac-sha256", "hmac-sha384", "hmac-sha512"]; at least one. hmac-sha1 is never accepted.',
      ),
    enforceHeaders: z
      .array(
        z
          .string()
          .max(64)
          .regex(signedHeaderName, 'must be @request-target or a lower-case header name')
          .refine((name) => name !== 'authorization', 'the signature travels in authorization'),
      )
      .max(16)
      .default(['@request-target', 'date'])
      .describe(
        'Headers every signature must cover (its `headers` parameter), lower case; `@request-target` stands for the method and the request target. Default ["@request-target", "date"]; at most 16. A signature must cover date or x-date in any case.',
      ),
    clockSkewSeconds: z
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe(
        'How far the signed date (x-date, else date) may be from the gateway’s clock, either way: the window in which a captured request can be replayed. Default 300; 1 to 3600.',
      ),
  })
  .strict();

export type HmacAuthConfig = z.infer<typeof hmacAuthSchema>;
