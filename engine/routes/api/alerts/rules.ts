/**
 * The rules in force (alerts/rules.yaml with administrators' threshold overrides) and
 * the override API: `PUT /api/alerts/rules/:id/thresholds` (admin only, validated like
 * the file, audited), `DELETE` to go back to the file's thresholds.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { currentUser } from '../../../plugins/auth.ts';
import { ruleJson, type AlertService } from '../../../services/alert-service.ts';
import { RuleFileError, type Thresholds } from '../../../../alerts/rule-schema.ts';

export function requireAdmin(req: FastifyRequest) {
  const user = currentUser(req);
  if (user.role !== 'admin') throw new ApiError(403, 'forbidden', `role ${user.role} may not change alert settings (administrators only)`);
  return user;
}

const ruleParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,62}$' } } } as const;
const thresholdsSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { blue: { type: 'number' }, yellow: { type: 'number' }, orange: { type: 'number' }, red: { type: 'number' } },
} as const;

export default async function rules(app: FastifyInstance, opts: { service: AlertService }) {
  const svc = opts.service;

  app.get('/api/alerts/rules', { schema: { tags: ['alerts'], summary: 'The alert rules in force, with their thresholds' } }, async (req) => {
    currentUser(req);
    return { rules: svc.rules().rules.map((r) => ruleJson(r, svc.overridden(r.id))) };
  });

  app.put<{ Params: { id: string }; Body: { signal?: string; thresholds: Thresholds } }>(
    '/api/alerts/rules/:id/thresholds',
    {
      schema: {
        tags: ['alerts'],
        summary: "Override a signal's thresholds (admin); validated like alerts/rules.yaml",
        params: ruleParam,
        body: { type: 'object', additionalProperties: false, required: ['thresholds'], properties: { signal: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,62}$' }, thresholds: thresholdsSchema } },
        response: { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const before = svc.rules().byId(req.params.id);
      if (!before) throw notFound(`unknown rule '${req.params.id}'`);
      let result;
      try {
        result = svc.setThresholds(req.params.id, req.body.signal, req.body.thresholds, admin.username);
      } catch (err) {
        if (err instanceof RuleFileError) throw new ApiError(400, 'bad_request', err.message);
        throw err;
      }
      if (!result) throw notFound(`unknown rule '${req.params.id}'`);
      const old = before.signals.find((s) => s.id === result.signal)?.thresholds;
      app.audit.append({ actor: admin.username, action: 'alert_thresholds_changed', target: req.params.id, detail: { signal: result.signal, from: old, to: req.body.thresholds }, ip: req.ip });
      return ruleJson(svc.rules().byId(req.params.id)!, true);
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { signal?: string } }>(
    '/api/alerts/rules/:id/thresholds',
    {
      schema: {
        tags: ['alerts'],
        summary: "Remove the override of a signal's thresholds (admin): back to the rule file",
        params: ruleParam,
        querystring: { type: 'object', additionalProperties: false, properties: { signal: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,62}$' } } },
        response: { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      let result;
      try {
        result = svc.setThresholds(req.params.id, req.query.signal, null, admin.username);
      } catch (err) {
        if (err instanceof RuleFileError) throw new ApiError(400, 'bad_request', err.message);
        throw err;
      }
      if (!result) throw notFound(`unknown rule '${req.params.id}'`);
      app.audit.append({ actor: admin.username, action: 'alert_thresholds_reset', target: req.params.id, detail: { signal: result.signal }, ip: req.ip });
      return ruleJson(svc.rules().byId(req.params.id)!, svc.overridden(req.params.id));
    },
  );
}
