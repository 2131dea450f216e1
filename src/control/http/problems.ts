// Every error of the control plane's HTTP servers is application/problem+json (RFC 9457):
// validation failures with the path of each bad field, framework errors mapped to our codes,
// and never an internal message.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ErrorCode, type FieldError, formatPath, type Problem, problem } from '../../shared/errors.ts';
import { RequestValidationError } from './validation.ts';

export const problemSchema = z
  .object({
    type: z.string().describe('URI naming the error code; its last segment is `code`.'),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().describe('Stable error code, documented in docs/errors.md.'),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field.'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  const requestId = String(reply.request.id);
  // Set here too: errors raised before routing skip the server's onSend hook.
  return reply
    .code(body.status)
    .type('application/problem+json')
    .header('x-request-id', requestId)
    .send({ ...body, requestId });
}

const byStatus: Record<number, ErrorCode> = {
  404: 'not-found',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
};

const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: 'bad-request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri-too-long',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed-body',
};

/**
 * For Fastify's `frameworkErrors` option: errors raised before a route is found (a malformed
 * URL, an over-long parameter) never reach the error handler.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const code = frameworkCodes[error.code] ?? 'bad-request';
  const detail = code === 'uri-too-long' ? 'a path segment of the URL is too long' : 'the URL is not valid';
  sendProblem(reply, problem(code, detail));
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RequestValidationError) {
      const errors: FieldError[] = error.issues.map((issue) => ({
        path: formatPath([error.validationContext ?? 'body', ...issue.path]),
        message: issue.message,
      }));
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return sendProblem(reply, problem('validation-failed', detail, { errors }));
    }
    const code = frameworkCodes[error.code] ?? (error instanceof SyntaxError ? 'malformed-body' : undefined);
    if (code) return sendProblem(reply, problem(code, error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, problem(byStatus[error.statusCode] ?? 'bad-request', error.message));
    }
    request.log.error({ err: error }, 'admin API request failed');
    return sendProblem(
      reply,
      problem('internal-error', `unexpected error; quote request id ${request.id} when reporting it`),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('not-found', `no endpoint ${request.method} ${request.url.split('?')[0]}`)),
  );
}
