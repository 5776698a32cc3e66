/**
 * JSON schemas of the alert API.
 */
const text = { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } } as const;
const nstr = { type: ['string', 'null'] } as const;
const nnum = { type: ['number', 'null'] } as const;

/** States of an alert: its episode's state (normal: it was pending and cleared without firing). */
export const ALERT_STATES = ['pending', 'firing', 'resolved', 'nodata', 'error', 'normal'] as const;

export const alertSchema = {
  type: 'object',
  required: ['id', 'rule', 'region', 'period', 'severity', 'state'],
  properties: {
    id: { type: 'integer' },
    rule: { type: 'string' },
    ruleName: text,
    region: { type: 'string' },
    regionName: { type: 'string' },
    level: { type: 'string' },
    county: nstr,
    city: nstr,
    period: { type: 'string' },
    lastPeriod: { type: 'string' },
    severity: { type: ['string', 'null'], enum: ['blue', 'yellow', 'orange', 'red', null] },
    maxSeverity: nstr,
    state: { type: 'string' },
    reason: { type: 'string' },
    signal: nstr,
    value: nnum,
    threshold: nnum,
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    fired: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    firedAt: nstr,
    resolvedAt: nstr,
    workflow: { type: 'string', enum: ['open', 'acknowledged', 'closed'] },
    assignee: nstr,
    acknowledgedBy: nstr,
    acknowledgedAt: nstr,
    outcome: nstr,
    outcomeNote: nstr,
    closedBy: nstr,
    closedAt: nstr,
    escalation: { type: 'string', enum: ['none', 'city', 'province'] },
    escalatedAt: nstr,
    inhibitedBy: { type: ['integer', 'null'] },
    silencedBy: { type: ['integer', 'null'] },
  },
} as const;

export const historySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    actor: nstr,
    action: { type: 'string' },
    fromState: nstr,
    toState: nstr,
    detail: { type: 'object', additionalProperties: true },
    runId: nstr,
  },
} as const;

export const silenceSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    rule: nstr,
    region: { type: 'string' },
    severity: nstr,
    startsAt: { type: 'string' },
    endsAt: { type: 'string' },
    reason: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    expiredBy: nstr,
    expiredAt: nstr,
    active: { type: 'boolean' },
  },
} as const;

export const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } } as const;

export const ruleSchema = { type: 'object', additionalProperties: true } as const;
