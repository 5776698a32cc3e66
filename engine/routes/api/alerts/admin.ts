/**
 * Alert administration (administrators): settings (deadline day, escalation days,
 * SMTP, webhook retries), notification channels, the notification outbox with its
 * delivery log, evaluation runs, and an evaluation on demand. Every change is audited.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { currentUser } from '../../../plugins/auth.ts';
import type { AlertService } from '../../../services/alert-service.ts';
import { requireAdmin } from './rules.ts';
import { idParam } from './alert-schemas.ts';
import { publicSettings, SettingsError } from '../../../../alerts/alert-settings.ts';
import { ChannelError, type Channel } from '../../../../alerts/notify/channel-store.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';

const channelJson = (c: Channel) => ({ ...c, secret: undefined, secretSet: Boolean(c.secret) });

export default async function admin(app: FastifyInstance, opts: { service: AlertService }) {
  const svc = opts.service;

  app.get('/api/alerts/settings', { schema: { tags: ['alerts'], summary: 'Alert settings (admin; the SMTP password is never returned)', response: { 403: errorResponseSchema } } }, async (req) => {
    requireAdmin(req);
    return publicSettings(svc.settings());
  });

  app.put<{ Body: Record<string, unknown> }>(
    '/api/alerts/settings',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Change alert settings (admin)',
        body: { type: 'object', minProperties: 1, maxProperties: 20 },
        response: { 400: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (req) => {
      const user = requireAdmin(req);
      let s;
      try {
        s = svc.updateSettings(req.body, user.username);
      } catch (err) {
        if (err instanceof SettingsError) throw new ApiError(400, 'bad_request', err.message);
        throw err;
      }
      const detail = { ...req.body };
      if (detail.smtp && typeof detail.smtp === 'object') detail.smtp = { ...(detail.smtp as object), password: (detail.smtp as { password?: string }).password ? '***' : undefined };
      app.audit.append({ actor: user.username, action: 'alert_settings_changed', detail, ip: req.ip });
      return publicSettings(s);
    },
  );

  app.get('/api/alerts/channels', { schema: { tags: ['alerts'], summary: 'Notification channels (admin)', response: { 403: errorResponseSchema } } }, async (req) => {
    requireAdmin(req);
    return { channels: svc.channels.all().map(channelJson) };
  });

  app.post<{ Body: { name: string; kind: 'webhook' | 'email'; region: string; mode?: 'own' | 'all'; target: string; secret?: string } }>(
    '/api/alerts/channels',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Add a notification channel (admin): a webhook (URL + HMAC secret) or e-mail addresses for a region',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'kind', 'region', 'target'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            kind: { type: 'string', enum: ['webhook', 'email'] },
            region: { type: 'string', pattern: '^(\\d{6}|\\d{9})$' },
            mode: { type: 'string', enum: ['own', 'all'] },
            target: { type: 'string', minLength: 3, maxLength: 2000 },
            secret: { type: 'string', minLength: 16, maxLength: 200 },
          },
        },
        response: { 400: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (req, reply) => {
      const user = requireAdmin(req);
      if (!loadRegions().byCode.has(req.body.region)) throw new ApiError(400, 'bad_request', `body parameter 'region': unknown region '${req.body.region}'`);
      let c;
      try {
        c = svc.channels.add({ ...req.body, createdBy: user.username, now: svc.now() });
      } catch (err) {
        if (err instanceof ChannelError) throw new ApiError(400, 'bad_request', err.message);
        throw err;
      }
      app.audit.append({ actor: user.username, action: 'alert_channel_added', region: c.region, target: String(c.id), detail: { name: c.name, kind: c.kind, mode: c.mode }, ip: req.ip });
      return reply.status(201).send(channelJson(c));
    },
  );

  app.post<{ Params: { id: number }; Body: { enabled: boolean } }>(
    '/api/alerts/channels/:id/status',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Enable or disable a channel (admin)',
        params: idParam,
        body: { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } },
        response: { 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const user = requireAdmin(req);
      const c = svc.channels.setEnabled(req.params.id, req.body.enabled);
      if (!c) throw notFound(`no channel ${req.params.id}`);
      app.audit.append({ actor: user.username, action: req.body.enabled ? 'alert_channel_enabled' : 'alert_channel_disabled', region: c.region, target: String(c.id), ip: req.ip });
      return channelJson(c);
    },
  );

  app.get<{ Querystring: { status?: string; limit: number } }>(
    '/api/alerts/notifications',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Queued and sent notifications with their delivery attempts (admin)',
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['pending', 'sending', 'sent', 'failed'] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } },
        response: { 403: errorResponseSchema },
      },
    },
    async (req) => {
      requireAdmin(req);
      return { notifications: svc.outbox.list(req.query).map((n) => ({ ...n, deliveries: svc.outbox.deliveries(n.id) })) };
    },
  );

  app.post('/api/alerts/notifications/retry', { schema: { tags: ['alerts'], summary: 'Queue failed notifications again and send them (admin)', response: { 403: errorResponseSchema } } }, async (req) => {
    const user = requireAdmin(req);
    const requeued = svc.outbox.requeueFailed();
    app.audit.append({ actor: user.username, action: 'alert_notifications_requeued', detail: { requeued }, ip: req.ip });
    const result = await svc.outbox.dispatch(svc.settings());
    return { requeued, ...result };
  });

  app.get('/api/alerts/runs', { schema: { tags: ['alerts'], summary: 'The latest evaluation runs' } }, async (req) => {
    currentUser(req);
    return { runs: svc.store.runs(50) };
  });

  app.post<{ Body: { month?: string } }>(
    '/api/alerts/evaluate',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Evaluate the rules now on the published warehouse (admin)',
        body: { type: 'object', additionalProperties: false, properties: { month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } } },
        response: { 403: errorResponseSchema },
      },
    },
    async (req) => {
      const user = requireAdmin(req);
      const s = await svc.evaluate({ trigger: 'api', month: req.body?.month });
      app.audit.append({ actor: user.username, action: 'alert_evaluation_run', target: s.runId, detail: { result: s.result, month: req.body?.month ?? null, opened: s.opened, resolved: s.resolved }, ip: req.ip });
      return { runId: s.runId, result: s.result, message: s.message, warehouseVersion: s.warehouseVersion, dataAsOf: s.dataAsOf, opened: s.opened, resolved: s.resolved, escalated: s.escalated, notifications: s.notifications };
    },
  );

  app.post('/api/alerts/escalate', { schema: { tags: ['alerts'], summary: 'Escalate overdue alerts now (admin)', response: { 403: errorResponseSchema } } }, async (req) => {
    const user = requireAdmin(req);
    const r = await svc.escalate();
    app.audit.append({ actor: user.username, action: 'alert_escalation_run', detail: { escalated: r.escalated }, ip: req.ip });
    return r;
  });
}
