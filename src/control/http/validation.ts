// Validates requests with the route's Zod schemas, keeping Zod's own issue paths (numbers stay
// numbers), so errors can name `body.targets[0].url` exactly.
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly code = 'TP_VALIDATION';
  readonly issues: z.core.$ZodIssue[];
  validationContext?: string;
  constructor(issues: z.core.$ZodIssue[]) {
    super('request failed validation');
    this.issues = issues;
  }
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    return result.success
      ? { value: result.data }
      : { error: new RequestValidationError(result.error.issues) };
  };
