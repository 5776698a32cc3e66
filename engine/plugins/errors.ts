/**
 * One error shape for the whole API: `{ "error": { "code", "message" } }`. Validation
 * errors name the parameter; unexpected errors are logged with their stack and answered
 * with a generic message, never a stack trace.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { QueryTimeoutError, WarehouseUnavailableError } from '../services/warehouse-pool.ts';

/** An error a handler throws on purpose, with its HTTP status and code. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', what);
export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);

export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

function validationMessage(err: FastifyError): string {
  const v = err.validation?.[0];
  if (!v) return err.message;
  const where = err.validationContext ?? 'request';
  const path = v.instancePath ? v.instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
  const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
  const extra = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  const name = missing ?? extra ?? path;
  if (extra) return `${where} parameter '${extra}' is not allowed`;
  return `${where} parameter '${name}' ${v.message ?? 'is invalid'}`;
}

export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof ApiError) {
        return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message } });
      }
      if (err.validation) {
        return reply.status(400).send({ error: { code: 'bad_request', message: validationMessage(err) } });
      }
      if (err instanceof WarehouseUnavailableError) {
        return reply.status(503).send({ error: { code: 'warehouse_unavailable', message: err.message } });
      }
      if (err instanceof QueryTimeoutError) {
        return reply.status(504).send({ error: { code: 'query_timeout', message: err.message } });
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status >= 500) request.log.error({ err }, 'request failed');
      const code = status === 500 ? 'internal_error' : (err.code ?? 'bad_request').toLowerCase();
      const message = status === 500 ? 'internal error; see the server log' : err.message;
      return reply.status(status).send({ error: { code, message } });
    });
  },
  { name: 'errors' },
);
