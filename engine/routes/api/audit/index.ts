/**
 * The audit log for administrators: view with filters, verify the hash chain, export.
 * Reading and exporting the log are themselves audited.
 */
import type { FastifyInstance } from 'fastify';
import { csvCell } from '../../../services/csv-cell.ts';
import { errorResponseSchema } from '../../../plugins/errors.ts';
import { requirePermission } from '../../../plugins/auth.ts';

const entrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string' },
    actor: { type: ['string', 'null'] },
    action: { type: 'string' },
    region: { type: ['string', 'null'] },
    target: { type: ['string', 'null'] },
    detail: { type: 'string' },
    ip: { type: ['string', 'null'] },
    prev_hash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

const filterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    actor: { type: 'string', maxLength: 40 },
    action: { type: 'string', pattern: '^[a-z_]{1,40}$' },
    since: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
  },
} as const;

type Filter = { actor?: string; action?: string; since?: string; limit: number; offset: number };

export default async function audit(app: FastifyInstance) {
  app.get<{ Querystring: Filter }>(
    '/api/audit',
    { schema: { tags: ['admin'], summary: 'Audit log entries, newest first (admin)', querystring: filterSchema, response: { 200: { type: 'object', properties: { entries: { type: 'array', items: entrySchema } } }, 403: errorResponseSchema } } },
    async (req) => {
      const admin = requirePermission(req, 'read_audit');
      const entries = app.audit.list(req.query);
      app.audit.append({ actor: admin.username, action: 'audit_read', detail: { ...req.query }, ip: req.ip });
      return { entries };
    },
  );

  app.get('/api/audit/verify', { schema: { tags: ['admin'], summary: 'Verify the hash chain of the audit log (admin)', response: { 403: errorResponseSchema } } }, async (req) => {
    requirePermission(req, 'read_audit');
    return app.audit.verify();
  });

  app.get<{ Querystring: Filter }>(
    '/api/audit/export',
    { schema: { tags: ['admin'], summary: 'The audit log as CSV (admin)', querystring: filterSchema, response: { 403: errorResponseSchema } } },
    async (req, reply) => {
      const admin = requirePermission(req, 'read_audit');
      const rows = app.audit.list({ ...req.query, limit: Math.max(req.query.limit, 1000) });
      app.audit.append({ actor: admin.username, action: 'audit_exported', detail: { ...req.query, rows: rows.length }, ip: req.ip });
      const header = ['seq', 'at', 'actor', 'action', 'region', 'target', 'detail', 'ip', 'prev_hash', 'hash'];
      const lines = [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h as keyof typeof r])).join(','))];
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  );
}
