/**
 * Person-level data: worklists with masked names and ID numbers; revealing a full record
 * (permission, typed reason, daily limit, audited); person-level exports behind an
 * approval by a higher-level user (audited request, decision and every download).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadDataKeys } from '../../../../warehouse/vault/data-keys.ts';
import { decryptPii, mergePiiRecords, type PiiRecord } from '../../../../warehouse/vault/pii-vault.ts';
import { maskedIdentities } from '../../../../warehouse/quality/masked-identities.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { csvCell } from '../../../services/csv-cell.ts';
import { ApiError, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { regionContains } from '../../../services/region-scope.ts';
import { WORKLISTS, worklistById, alertWorklistByRule, type WorklistRow } from '../../../services/person-worklists.ts';
import { PersonExportStore, type PersonExport } from '../../../services/person-exports.ts';
import { regionCodeSchema } from '../../../schemas.ts';

export interface PersonsOptions {
  readonly dataDir: string;
  /** Reveals allowed per user per day (Asia/Shanghai). */
  readonly revealsPerDay?: number;
  readonly now?: () => number;
}

const PID = { type: 'string', pattern: '^[0-9a-f]{32}$' } as const;
const reasonSchema = { type: 'string', minLength: 5, maxLength: 500 } as const;

const personSchema = {
  type: 'object',
  properties: {
    pid: { type: 'string' },
    name: { type: ['string', 'null'] },
    idNumber: { type: ['string', 'null'] },
    villageCode: { type: 'string' },
    villageName: { type: ['string', 'null'] },
    employmentStatus: { type: ['string', 'null'] },
    presence: { type: ['string', 'null'] },
    sex: { type: ['string', 'null'] },
    birthDate: { type: ['string', 'null'] },
    povertyAlleviated: { type: ['boolean', 'null'] },
    trainingWish: { type: ['boolean', 'null'] },
    workRegionCode: { type: ['string', 'null'] },
    since: { type: ['string', 'null'] },
  },
} as const;

const exportSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    requester: { type: 'string' },
    region: { type: 'string' },
    worklist: { type: 'string' },
    reason: { type: 'string' },
    status: { type: 'string' },
    approver: { type: ['string', 'null'] },
    decision_note: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    decided_at: { type: ['string', 'null'] },
    downloads: { type: 'integer' },
  },
} as const;

/** Start of the current day in Asia/Shanghai (UTC+8, no DST), as ISO. */
function shanghaiDayStart(nowMs: number): string {
  const offset = 8 * 3_600_000;
  return new Date(Math.floor((nowMs + offset) / 86_400_000) * 86_400_000 - offset).toISOString();
}

export default async function persons(app: FastifyInstance, opts: PersonsOptions) {
  const now = opts.now ?? Date.now;
  const revealsPerDay = opts.revealsPerDay ?? 50;
  const exportsStore = new PersonExportStore(app.stateDb, () => new Date(now()));
  let vaultKey: Buffer | undefined;
  const key = () => (vaultKey ??= loadDataKeys(opts.dataDir).vaultKey);
  const query = (sql: string, params: (string | number)[]) => app.warehouse.query(sql, params, { cache: false });
  const villageName = (code: string) => loadRegions().byCode.get(code)?.name ?? null;

  async function worklistRows(region: string, worklistId: string): Promise<WorklistRow[]> {
    const def = worklistById(worklistId);
    if (!def) throw notFound(`unknown worklist '${worklistId}'`);
    const asOf = app.warehouse.info()?.dataAsOf;
    if (!asOf) throw new ApiError(503, 'warehouse_unavailable', 'no warehouse has been published yet');
    const { sql, params } = def.sql(region, asOf);
    return (await query(sql, params)) as unknown as WorklistRow[];
  }

  const present = (r: WorklistRow, identity: { name: string | null; idNumber: string | null } | undefined) => ({
    pid: r.pid,
    name: identity?.name ?? null,
    idNumber: identity?.idNumber ?? null,
    villageCode: r.village_code,
    villageName: villageName(r.village_code),
    employmentStatus: r.employment_status,
    presence: r.presence,
    sex: r.sex,
    birthDate: r.birth_date,
    povertyAlleviated: r.poverty_alleviated,
    trainingWish: r.training_wish,
    workRegionCode: r.work_region_code,
    since: r.since,
  });

  app.get('/api/persons/worklists', { schema: { tags: ['persons'], summary: 'The person worklists available' } }, async (req) => {
    requirePermission(req, 'read_persons_masked');
    return { worklists: WORKLISTS.map((w) => ({ id: w.id, zh: w.zh, en: w.en })) };
  });

  app.get<{ Params: { id: string }; Querystring: { region: string; limit: number; offset: number } }>(
    '/api/persons/worklists/:id',
    {
      schema: {
        tags: ['persons'],
        summary: 'A worklist of persons in a region, with masked names and ID numbers (audited)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z_]{1,60}$' } } },
        querystring: {
          type: 'object',
          required: ['region'],
          additionalProperties: false,
          properties: { region: regionCodeSchema, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 } },
        },
        response: {
          200: { type: 'object', properties: { worklist: { type: 'string' }, region: { type: 'string' }, total: { type: 'integer' }, persons: { type: 'array', items: personSchema } } },
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'read_persons_masked');
      assertRegionReadable(req, req.query.region);
      const rows = await worklistRows(req.query.region, req.params.id);
      const page = rows.slice(req.query.offset, req.query.offset + req.query.limit);
      const ids = await maskedIdentities((sql, params) => query(sql, (params ?? []) as string[]), page.map((r) => r.pid), key());
      app.audit.append({ actor: user.username, action: 'persons_listed', region: req.query.region, target: req.params.id, detail: { rows: page.length, offset: req.query.offset }, ip: req.ip });
      return { worklist: req.params.id, region: req.query.region, total: rows.length, persons: page.map((r) => present(r, ids.get(r.pid))) };
    },
  );

  app.get<{ Params: { id: number }; Querystring: { limit: number; offset: number } }>(
    '/api/alerts/:id/persons',
    {
      schema: {
        tags: ['persons'],
        summary: 'The persons behind an open alert (pending or firing, not closed), in its region and last month, masked (audited)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              alert: { type: 'integer' },
              rule: { type: 'string' },
              region: { type: 'string' },
              period: { type: 'string' },
              worklist: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
              total: { type: 'integer' },
              persons: { type: 'array', items: personSchema },
            },
          },
          400: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'read_persons_masked');
      // Another region's alert answers exactly like an unknown one.
      const a = app.alerts.find(user, req.params.id);
      if (!a) throw notFound(`no alert ${req.params.id}`);
      const def = alertWorklistByRule(a.rule);
      if (!def) throw new ApiError(409, 'no_person_worklist', `alert rule '${a.rule}' is about collection points or data quality and has no persons behind it`);
      if ((a.state !== 'firing' && a.state !== 'pending') || a.workflow === 'closed') {
        throw new ApiError(409, 'alert_not_open', `alert ${a.id} is ${a.workflow === 'closed' ? 'closed' : a.state}; only an open pending or firing alert has a worklist`);
      }
      const asOf = app.warehouse.info()?.dataAsOf;
      if (!asOf) throw new ApiError(503, 'warehouse_unavailable', 'no warehouse has been published yet');
      const { sql, params } = def.sql(a, asOf);
      const rows = (await query(sql, params)) as unknown as WorklistRow[];
      const page = rows.slice(req.query.offset, req.query.offset + req.query.limit);
      const ids = await maskedIdentities((s, p) => query(s, (p ?? []) as string[]), page.map((r) => r.pid), key());
      app.audit.append({ actor: user.username, action: 'persons_listed', region: a.region, target: `alert:${a.id}`, detail: { rule: a.rule, period: a.lastPeriod, rows: page.length, offset: req.query.offset }, ip: req.ip });
      return { alert: a.id, rule: a.rule, region: a.region, period: a.lastPeriod, worklist: { zh: def.zh, en: def.en }, total: rows.length, persons: page.map((r) => present(r, ids.get(r.pid))) };
    },
  );

  app.post<{ Params: { pid: string }; Body: { reason: string } }>(
    '/api/persons/:pid/reveal',
    {
      schema: {
        tags: ['persons'],
        summary: 'Reveal the full record of a person in your region, with a typed reason (audited, limited per day)',
        params: { type: 'object', required: ['pid'], properties: { pid: PID } },
        body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: reasonSchema } },
        response: {
          200: { type: 'object', properties: { pid: { type: 'string' }, name: { type: ['string', 'null'] }, idNumber: { type: ['string', 'null'] }, phone: { type: ['string', 'null'] }, villageCode: { type: 'string' }, remainingToday: { type: 'integer' } } },
          403: errorResponseSchema,
          404: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'reveal_person');
      const spell = (await query('SELECT village_code FROM person_spells WHERE pid = ? ORDER BY valid_from DESC LIMIT 1', [req.params.pid]))[0];
      // Another region's person answers exactly like an unknown one.
      if (!spell || !regionContains(user.region, String(spell.village_code))) throw notFound('unknown person');
      const used = app.stateDb
        .prepare("SELECT count(*) AS n FROM audit_log WHERE actor = ? AND action = 'person_revealed' AND at >= ?")
        .get(user.username, shanghaiDayStart(now())) as { n: number };
      if (used.n >= revealsPerDay) {
        app.audit.append({ actor: user.username, action: 'reveal_refused_limit', target: req.params.pid, ip: req.ip });
        throw new ApiError(429, 'reveal_limit', `daily limit of ${revealsPerDay} reveals reached`);
      }
      const rows = await query('SELECT to_base64(nonce) AS nonce, to_base64(ciphertext) AS ciphertext FROM pii_vault WHERE pid = ? ORDER BY recorded_on, rowid', [req.params.pid]);
      const record: PiiRecord = mergePiiRecords(
        rows.map((r) => decryptPii({ nonce: Buffer.from(String(r.nonce), 'base64'), ciphertext: Buffer.from(String(r.ciphertext), 'base64') }, req.params.pid, key())),
      );
      app.audit.append({ actor: user.username, action: 'person_revealed', region: String(spell.village_code), target: req.params.pid, detail: { reason: req.body.reason }, ip: req.ip });
      return { pid: req.params.pid, name: record.name ?? null, idNumber: record.id_number ?? null, phone: record.phone ?? null, villageCode: String(spell.village_code), remainingToday: revealsPerDay - used.n - 1 };
    },
  );

  const visibleExport = (req: FastifyRequest, e: PersonExport | undefined, user: { username: string; region: string }) => {
    if (!e) return undefined;
    if (e.requester === user.username) return e;
    return regionContains(user.region, e.requester_region) ? e : undefined;
  };

  app.post<{ Body: { worklist: string; region: string; reason: string } }>(
    '/api/person-exports',
    {
      schema: {
        tags: ['persons'],
        summary: 'Request a person-level export of a worklist (needs approval by a higher level)',
        body: { type: 'object', required: ['worklist', 'region', 'reason'], additionalProperties: false, properties: { worklist: { type: 'string', pattern: '^[a-z_]{1,60}$' }, region: regionCodeSchema, reason: reasonSchema } },
        response: { 201: exportSchema, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req, reply) => {
      const user = requirePermission(req, 'request_export');
      assertRegionReadable(req, req.body.region);
      if (!worklistById(req.body.worklist)) throw notFound(`unknown worklist '${req.body.worklist}'`);
      const e = exportsStore.request({ requester: user.username, requesterRegion: user.region, ...req.body });
      app.audit.append({ actor: user.username, action: 'export_requested', region: e.region, target: e.id, detail: { worklist: e.worklist, reason: e.reason }, ip: req.ip });
      return reply.status(201).send(e);
    },
  );

  app.get('/api/person-exports', { schema: { tags: ['persons'], summary: 'Export requests: your own and those you may approve' } }, async (req) => {
    const user = requirePermission(req, 'read_persons_masked');
    return { exports: exportsStore.list().filter((e) => visibleExport(req, e, user)) };
  });

  app.post<{ Params: { id: string }; Body: { approve: boolean; note?: string } }>(
    '/api/person-exports/:id/decision',
    {
      schema: {
        tags: ['persons'],
        summary: 'Approve or reject an export request of a lower-level user in your region',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        body: { type: 'object', required: ['approve'], additionalProperties: false, properties: { approve: { type: 'boolean' }, note: { type: 'string', maxLength: 500 } } },
        response: { 200: exportSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'approve_export');
      const e = visibleExport(req, exportsStore.get(req.params.id), user);
      if (!e) throw notFound('unknown export');
      if (e.requester === user.username || e.requester_region === user.region || !regionContains(user.region, e.requester_region)) {
        throw new ApiError(403, 'forbidden', 'an export must be approved by a user of a higher level whose region contains the requester’s');
      }
      if (e.status !== 'pending') throw new ApiError(409, 'conflict', `export already ${e.status}`);
      const decided = exportsStore.decide(e.id, user.username, req.body.approve, req.body.note ?? null);
      app.audit.append({ actor: user.username, action: req.body.approve ? 'export_approved' : 'export_rejected', region: e.region, target: e.id, detail: { requester: e.requester, note: req.body.note ?? null }, ip: req.ip });
      return decided;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/person-exports/:id/download',
    {
      schema: {
        tags: ['persons'],
        summary: 'Download an approved export (requester only; the file names the requester and time)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (req, reply) => {
      const user = requirePermission(req, 'request_export');
      const e = exportsStore.get(req.params.id);
      if (!e || e.requester !== user.username) throw notFound('unknown export');
      if (e.status !== 'approved') throw new ApiError(409, 'not_approved', `export is ${e.status}; it needs approval first`);
      const rows = await worklistRows(e.region, e.worklist);
      const decrypted = new Map<string, PiiRecord>();
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500).map((r) => r.pid);
        const vault = await query(`SELECT pid, to_base64(nonce) AS nonce, to_base64(ciphertext) AS ciphertext FROM pii_vault WHERE pid IN (${chunk.map(() => '?').join(', ')}) ORDER BY pid, recorded_on, rowid`, chunk);
        const parts = new Map<string, PiiRecord[]>();
        for (const v of vault) {
          const pid = String(v.pid);
          const list = parts.get(pid) ?? [];
          list.push(decryptPii({ nonce: Buffer.from(String(v.nonce), 'base64'), ciphertext: Buffer.from(String(v.ciphertext), 'base64') }, pid, key()));
          parts.set(pid, list);
        }
        for (const [pid, list] of parts) decrypted.set(pid, mergePiiRecords(list));
      }
      const at = new Date(now()).toISOString();
      const header = ['姓名', '公民身份号码', '联系电话', '户籍村代码', '村名', '就业状态', '所在状态', '性别', '出生日期'];
      const lines = [
        `# 导出人 requester: ${user.username}; 导出时间 exported at: ${at}; 审批人 approved by: ${e.approver}; 清单 worklist: ${e.worklist}; 地区 region: ${e.region}`,
        header.join(','),
        ...rows.map((r) => {
          const p = decrypted.get(r.pid) ?? {};
          return [p.name, p.id_number, p.phone, r.village_code, villageName(r.village_code), r.employment_status, r.presence, r.sex, r.birth_date].map(csvCell).join(',');
        }),
      ];
      exportsStore.countDownload(e.id);
      app.audit.append({ actor: user.username, action: 'export_downloaded', region: e.region, target: e.id, detail: { rows: rows.length }, ip: req.ip });
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="persons-${e.worklist}-${e.region}-${at.slice(0, 10)}.csv"`);
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  );
}
