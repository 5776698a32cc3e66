/**
 * Silences: mute the notifications of a rule (or every rule) in a region and below,
 * up to a severity, until an end time, with a reason. Users who act on alerts silence
 * within their region; administrators anywhere. Every change is audited.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { currentUser } from '../../../plugins/auth.ts';
import { can } from '../../../services/roles.ts';
import type { AlertService } from '../../../services/alert-service.ts';
import { idParam, silenceSchema } from './alert-schemas.ts';
import { isActive, type Silence } from '../../../../alerts/silences.ts';
import { scopeWithin } from '../../../../alerts/region-codes.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import type { Severity } from '../../../../alerts/severity.ts';
import type { FastifyRequest } from 'fastify';

const MAX_DAYS = 90;

/** A user who acts on alerts, or an administrator. */
export function alertActor(req: FastifyRequest) {
  const user = currentUser(req);
  if (!can(user.role, 'act_on_alerts') && user.role !== 'admin') throw new ApiError(403, 'forbidden', `role ${user.role} may not act on alerts`);
  return user;
}

export default async function silences(app: FastifyInstance, opts: { service: AlertService }) {
  const svc = opts.service;
  const json = (s: Silence) => ({ ...s, active: isActive(s, svc.now()) });

  app.get<{ Querystring: { active?: boolean } }>(
    '/api/alerts/silences',
    {
      schema: {
        tags: ['alerts'],
        summary: "Silences in the user's region (active=true: only those in force now)",
        querystring: { type: 'object', additionalProperties: false, properties: { active: { type: 'boolean' } } },
        response: { 200: { type: 'object', properties: { silences: { type: 'array', items: silenceSchema } } } },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const now = svc.now();
      const list = svc.silences.all().filter((s) => scopeWithin(user.region, s.region) && (!req.query.active || isActive(s, now)));
      return { silences: list.map(json) };
    },
  );

  app.post<{ Body: { rule?: string | null; region: string; severity?: Severity | null; startsAt?: string; endsAt: string; reason: string } }>(
    '/api/alerts/silences',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Add a silence (matcher: rule, region and below, severity up to; until endsAt; with a reason)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['region', 'endsAt', 'reason'],
          properties: {
            rule: { type: ['string', 'null'], pattern: '^[a-z][a-z0-9_]{1,62}$' },
            region: { type: 'string', pattern: '^(\\d{6}|\\d{9}|\\d{12})$' },
            severity: { type: ['string', 'null'], enum: ['blue', 'yellow', 'orange', 'red', null] },
            startsAt: { type: 'string', format: 'date-time' },
            endsAt: { type: 'string', format: 'date-time' },
            reason: { type: 'string', minLength: 2, maxLength: 500 },
          },
        },
        response: { 201: silenceSchema, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req, reply) => {
      const user = alertActor(req);
      const b = req.body;
      if (!loadRegions().byCode.has(b.region) || !scopeWithin(user.region, b.region)) throw notFound(`unknown region '${b.region}'`);
      if (b.rule && !svc.rules().byId(b.rule)) throw notFound(`unknown rule '${b.rule}'`);
      const now = svc.now();
      const startsAt = new Date(b.startsAt ?? now.toISOString());
      const endsAt = new Date(b.endsAt);
      if (!(endsAt > startsAt)) throw new ApiError(400, 'bad_request', "body parameter 'endsAt' must be after startsAt");
      if (endsAt <= now) throw new ApiError(400, 'bad_request', "body parameter 'endsAt' must be in the future");
      if (endsAt.getTime() - startsAt.getTime() > MAX_DAYS * 86_400_000) throw new ApiError(400, 'bad_request', `body parameter 'endsAt' must be within ${MAX_DAYS} days of startsAt`);
      const s = svc.silences.add({ rule: b.rule ?? null, region: b.region, severity: b.severity ?? null, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), reason: b.reason, createdBy: user.username, now });
      app.audit.append({ actor: user.username, action: 'alert_silence_added', region: b.region, target: String(s.id), detail: { rule: s.rule, severity: s.severity, startsAt: s.startsAt, endsAt: s.endsAt, reason: s.reason }, ip: req.ip });
      return reply.status(201).send(json(s));
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/alerts/silences/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'End a silence now (kept for the record)',
        params: idParam,
        response: { 200: silenceSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const user = alertActor(req);
      const s = svc.silences.get(req.params.id);
      if (!s || !scopeWithin(user.region, s.region)) throw notFound(`no silence ${req.params.id}`);
      const ended = svc.silences.expire(s.id, user.username, svc.now())!;
      app.audit.append({ actor: user.username, action: 'alert_silence_expired', region: s.region, target: String(s.id), detail: { rule: s.rule }, ip: req.ip });
      return json(ended);
    },
  );
}
