/**
 * The alert inbox: list with filters (scoped to the user's region), detail with the
 * evidence and the full history, and the workflow actions (assign, acknowledge,
 * comment, resolve with an outcome), each audited. An alert outside the user's region
 * answers exactly like an unknown one (404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { currentUser, requirePermission } from '../../../plugins/auth.ts';
import { alertJson, type AlertService } from '../../../services/alert-service.ts';
import { ALERT_STATES, alertSchema, historySchema, idParam } from './alert-schemas.ts';
import { OUTCOMES, WorkflowError, type Outcome } from '../../../../alerts/alert-workflow.ts';
import { BUILT_IN_RULE_IDS } from '../../../../alerts/rule-schema.ts';
import { scopeWithin } from '../../../../alerts/region-codes.ts';
import { codePrefix } from '../../../../alerts/region-codes.ts';

interface ListQuery {
  region?: string;
  state?: string;
  rule?: string;
  period?: string;
  severity?: string;
  workflow?: string;
  escalation?: string;
  assignee?: string;
  level?: string;
  inhibited?: boolean;
  limit: number;
  offset: number;
}

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    region: { type: 'string', pattern: '^(\\d{6}|\\d{9}|\\d{12}|[A-Za-z0-9_-]{2,40})$', description: 'a region (its alerts and those below it) or a collection point code' },
    state: { type: 'string', pattern: `^(${ALERT_STATES.join('|')})(,(${ALERT_STATES.join('|')}))*$`, description: 'one state or several, comma-separated' },
    rule: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,62}$' },
    period: { type: 'string', pattern: '^\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$', description: 'alerts whose episode overlaps this month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY)' },
    severity: { type: 'string', enum: ['blue', 'yellow', 'orange', 'red'] },
    workflow: { type: 'string', enum: ['open', 'acknowledged', 'closed'] },
    escalation: { type: 'string', enum: ['none', 'city', 'province'] },
    assignee: { type: 'string', pattern: '^[A-Za-z0-9_.-]{3,40}$' },
    level: { type: 'string', enum: ['province', 'city', 'county', 'township', 'village', 'point'] },
    inhibited: { type: 'boolean', description: 'false: leave out alerts suppressed by a parent region' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;

/** The months of a period filter: YYYY-MM, YYYY-Qn or YYYY. */
function periodRange(period: string | undefined): { periodFrom?: string; periodTo?: string } {
  if (!period) return {};
  if (/^\d{4}-\d{2}$/.test(period)) return { periodFrom: period, periodTo: period };
  const y = period.slice(0, 4);
  const q = /-Q([1-4])$/.exec(period);
  if (q) {
    const first = (Number(q[1]) - 1) * 3 + 1;
    return { periodFrom: `${y}-${String(first).padStart(2, '0')}`, periodTo: `${y}-${String(first + 2).padStart(2, '0')}` };
  }
  return { periodFrom: `${y}-01`, periodTo: `${y}-12` };
}

const noteBody = (required: string[], props: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties: props }) as const;

export default async function inbox(app: FastifyInstance, opts: { service: AlertService }) {
  const svc = opts.service;

  const withAlert = (req: FastifyRequest<{ Params: { id: number } }>) => {
    const user = currentUser(req);
    const a = svc.find(user, req.params.id);
    if (!a) throw notFound(`no alert ${req.params.id}`);
    return { user, a };
  };
  const asApi = (err: unknown): never => {
    if (err instanceof WorkflowError) throw new ApiError(409, 'conflict', err.message);
    throw err;
  };
  const respond = (id: number) => alertJson(svc.store.get(id)!, svc.rules().byId(svc.store.get(id)!.rule));

  app.get<{ Querystring: ListQuery }>(
    '/api/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: "Alerts in the user's region with filters (region, state, rule, period, …)",
        querystring: listQuery,
        response: { 200: { type: 'object', required: ['alerts'], properties: { alerts: { type: 'array', items: alertSchema }, total: { type: 'integer' } } }, 400: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'read_figures');
      const q = req.query;
      const region = q.region ? svc.regionFilter(user, q.region) : {};
      if (!region) throw notFound(`unknown region '${q.region}'`);
      if (q.rule && !(BUILT_IN_RULE_IDS as readonly string[]).includes(q.rule) && !svc.rules().byId(q.rule)) throw notFound(`unknown rule '${q.rule}'`);
      const { alerts, total } = svc.list(user, {
        ...region,
        states: q.state?.split(','),
        rule: q.rule,
        ...periodRange(q.period),
        severity: q.severity,
        workflow: q.workflow,
        escalation: q.escalation,
        assignee: q.assignee,
        level: q.level,
        includeInhibited: q.inhibited,
        limit: q.limit,
        offset: q.offset,
      });
      const rules = svc.rules();
      return { alerts: alerts.map((a) => alertJson(a, rules.byId(a.rule))), total };
    },
  );

  app.get<{ Querystring: { region?: string } }>(
    '/api/alerts/summary',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Counts of open alerts by state, severity, rule, workflow and escalation',
        querystring: { type: 'object', additionalProperties: false, properties: { region: { type: 'string', pattern: '^(\\d{6}|\\d{9}|\\d{12})$' } } },
        response: { 404: errorResponseSchema },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'read_figures');
      const code = req.query.region ?? user.region;
      if (!svc.regionFilter(user, code)) throw notFound(`unknown region '${code}'`);
      return { region: code, ...svc.summary(user, codePrefix(code)) };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/alerts/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert with its rule, evidence (series against thresholds and baseline), quantities and full history',
        params: idParam,
        response: {
          200: {
            type: 'object',
            properties: {
              alert: alertSchema,
              rule: { type: 'object', additionalProperties: true },
              quantities: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
              evidence: { type: 'object', additionalProperties: true },
              history: { type: 'array', items: historySchema },
              inhibitedByAlert: { type: ['object', 'null'], additionalProperties: true },
            },
          },
          404: errorResponseSchema,
        },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const { user, a } = withAlert(req);
      const rule = svc.rules().byId(a.rule);
      const parent = a.inhibitedBy ? svc.find(user, a.inhibitedBy) : undefined;
      return {
        alert: alertJson(a, rule),
        rule: rule ? { id: rule.id, name: rule.name, description: rule.description, labels: rule.labels, signals: rule.signals.map((s) => ({ id: s.id, name: s.name, metric: s.metric.source, unit: s.unit, condition: s.condition, thresholds: s.thresholds })) } : { id: a.rule },
        quantities: a.quantities,
        evidence: a.evidence,
        history: svc.store.history(a.id),
        inhibitedByAlert: parent ? { id: parent.id, rule: parent.rule, region: parent.region, state: parent.state } : null,
      };
    },
  );

  app.post<{ Params: { id: number }; Body: { assignee: string | null } }>(
    '/api/alerts/:id/assign',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Assign the alert to a user of a region containing it (null: unassign)',
        params: idParam,
        body: noteBody(['assignee'], { assignee: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_.-]{3,40}$' } }),
        response: { 200: alertSchema, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (req) => {
      requirePermission(req, 'act_on_alerts');
      const { user, a } = withAlert(req);
      if (req.body.assignee !== null) {
        const target = app.users.get(req.body.assignee);
        if (!target || target.disabled || !scopeWithin(target.region, a.scope)) throw new ApiError(400, 'bad_request', `assignee '${req.body.assignee}' is not an active user responsible for ${a.region}`);
      }
      try {
        svc.workflow.assign(a.id, req.body.assignee, user.username);
      } catch (err) {
        asApi(err);
      }
      app.audit.append({ actor: user.username, action: 'alert_assigned', region: a.scope, target: String(a.id), detail: { rule: a.rule, region: a.region, assignee: req.body.assignee }, ip: req.ip });
      return respond(a.id);
    },
  );

  app.post<{ Params: { id: number }; Body: { note?: string } }>(
    '/api/alerts/:id/acknowledge',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge (签收) the alert; stops its escalation',
        params: idParam,
        body: noteBody([], { note: { type: 'string', minLength: 1, maxLength: 2000 } }),
        response: { 200: alertSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (req) => {
      requirePermission(req, 'act_on_alerts');
      const { user, a } = withAlert(req);
      try {
        svc.workflow.acknowledge(a.id, user.username, req.body?.note);
      } catch (err) {
        asApi(err);
      }
      app.audit.append({ actor: user.username, action: 'alert_acknowledged', region: a.scope, target: String(a.id), detail: { rule: a.rule, region: a.region }, ip: req.ip });
      return respond(a.id);
    },
  );

  app.post<{ Params: { id: number }; Body: { text: string } }>(
    '/api/alerts/:id/comments',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Add a comment to the alert history',
        params: idParam,
        body: noteBody(['text'], { text: { type: 'string', minLength: 1, maxLength: 4000 } }),
        response: { 200: alertSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      requirePermission(req, 'act_on_alerts');
      const { user, a } = withAlert(req);
      svc.workflow.comment(a.id, user.username, req.body.text);
      app.audit.append({ actor: user.username, action: 'alert_commented', region: a.scope, target: String(a.id), detail: { rule: a.rule, region: a.region, length: req.body.text.length }, ip: req.ip });
      return respond(a.id);
    },
  );

  app.post<{ Params: { id: number }; Body: { outcome: Outcome; note?: string } }>(
    '/api/alerts/:id/resolve',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Resolve (close) the alert with an outcome; a continuing breach raises no new alert until it clears',
        params: idParam,
        body: noteBody(['outcome'], { outcome: { type: 'string', enum: Object.keys(OUTCOMES) }, note: { type: 'string', minLength: 1, maxLength: 4000 } }),
        response: { 200: alertSchema, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (req) => {
      requirePermission(req, 'act_on_alerts');
      const { user, a } = withAlert(req);
      try {
        svc.workflow.resolve(a.id, user.username, req.body.outcome, req.body.note ?? null);
      } catch (err) {
        asApi(err);
      }
      app.audit.append({ actor: user.username, action: 'alert_resolved', region: a.scope, target: String(a.id), detail: { rule: a.rule, region: a.region, outcome: req.body.outcome }, ip: req.ip });
      return respond(a.id);
    },
  );
}
