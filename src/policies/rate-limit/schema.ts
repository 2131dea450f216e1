// Configuration of the rate-limit policy: limits per period, and whose calls each one counts.
import { z } from 'zod';
import { periods } from '../counters.ts';

const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const rateLimitSchema = z
  .object({
    limits: z
      .array(
        z
          .object({
            period: z.enum(periods).describe('second, minute, hour, day, month, year or eternity.'),
            max: z
              .number()
              .int()
              .min(0)
              .max(1_000_000_000)
              .describe('Calls allowed per period; 0 allows none.'),
          })
          .strict(),
      )
      .min(1)
      .max(7)
      .refine((limits) => new Set(limits.map((l) => l.period)).size === limits.length, 'one limit per period')
      .default([{ period: 'minute', max: 60 }])
      .describe('At most one limit per period; a call must fit all of them. Default 60 per minute.'),
    by: z
      .enum(['ip', 'consumer', 'header'])
      .default('ip')
      .describe(
        'Whose calls count together: the client address (default), the calling application (its address when no credential identified one), or the value of `header` (its address when the header is absent). Default "ip".',
      ),
    header: z
      .string()
      .min(1)
      .max(64)
      .regex(headerName, 'must be a valid HTTP header name')
      .nullable()
      .default(null)
      .describe('The header whose value identifies the caller, with `by: header`. Default null.'),
    headers: z
      .boolean()
      .default(true)
      .describe('Send the RateLimit-Policy and RateLimit headers on every response. Default true.'),
  })
  .strict()
  .refine((config) => config.by !== 'header' || config.header !== null, {
    message: 'by: header needs the header to read',
    path: ['header'],
  });

export type RateLimitConfig = z.infer<typeof rateLimitSchema>;
