/**
 * The alert state machine: a PURE function of (previous series status, evaluation
 * result, rule, now) returning the next status and the transitions. No I/O, no clock
 * of its own: persistence and notification are done by the caller.
 *
 * A series is one rule × region. States: normal → pending → firing → resolved, plus
 * nodata and error; each status and transition carries a reason.
 *
 * - An evaluation is for a period (YYYY-MM). Pending and keep-firing count distinct
 *   periods: evaluating the same period again (e.g. after a late correction) replaces
 *   that period's result instead of counting twice, and the same result twice changes
 *   nothing. A period older than the last one evaluated is ignored.
 * - breach: normal/resolved → pending (a new episode), or straight to firing when
 *   pendingFor = 1; pending → firing after pendingFor consecutive breaching periods;
 *   firing stays firing (a severity change is its own transition).
 * - ok: pending → normal (cleared before firing); firing → resolved once the condition
 *   has been clear for more than keepFiringFor periods (until then it keeps firing).
 * - nodata (data missing or below the minimum counts) and error (the evaluation
 *   failed): an open episode (pending/firing) goes to nodata / error and resumes when
 *   results return; periods without a result neither extend nor break a streak. For a
 *   series without an open episode they change nothing.
 * - An episode closed by a user (closeByUser) stays closed while the breach continues;
 *   only a clear period ends it, and a later breach opens a new episode.
 */
import { severityRank, type Severity } from './severity.ts';

export type SeriesState = 'normal' | 'pending' | 'firing' | 'resolved' | 'nodata' | 'error';

export type Outcome =
  | { readonly kind: 'breach'; readonly severity: Severity; readonly reason: string }
  | { readonly kind: 'ok'; readonly reason: string }
  | { readonly kind: 'nodata'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

export interface Evaluation {
  readonly period: string;
  readonly outcome: Outcome;
}

export interface Streak {
  readonly breach: number;
  readonly ok: number;
}

export interface Episode {
  /** Period of the first breach: the alert's period. */
  readonly startPeriod: string;
  readonly fired: boolean;
  readonly closedByUser: boolean;
}

export interface SeriesStatus {
  readonly state: SeriesState;
  readonly reason: string;
  /** ISO time the series entered its state. */
  readonly since: string;
  readonly severity: Severity | null;
  readonly lastPeriod: string | null;
  readonly lastOutcome: Outcome['kind'] | null;
  /** Streaks after the last period's evaluation, and before it (for re-evaluation). */
  readonly streak: Streak;
  readonly streakBefore: Streak;
  readonly episode: Episode | null;
}

export interface Transition {
  readonly kind: 'state' | 'severity';
  readonly from: SeriesState;
  readonly to: SeriesState;
  readonly severityFrom: Severity | null;
  readonly severityTo: Severity | null;
  readonly reason: string;
  readonly at: string;
  readonly period: string;
  /** The episode's start period (the alert's period); null when no episode. */
  readonly episode: string | null;
  /** This transition opened a new episode (a new alert). */
  readonly opensEpisode: boolean;
}

export interface StepResult {
  readonly next: SeriesStatus;
  readonly transitions: readonly Transition[];
}

export interface RuleTiming {
  readonly pendingFor: number;
  readonly keepFiringFor: number;
}

export const NORMAL: SeriesStatus = {
  state: 'normal',
  reason: 'no evaluation yet',
  since: '1970-01-01T00:00:00.000Z',
  severity: null,
  lastPeriod: null,
  lastOutcome: null,
  streak: { breach: 0, ok: 0 },
  streakBefore: { breach: 0, ok: 0 },
  episode: null,
};

function advance(base: Streak, kind: Outcome['kind']): Streak {
  if (kind === 'breach') return { breach: base.breach + 1, ok: 0 };
  if (kind === 'ok') return { breach: 0, ok: base.ok + 1 };
  return base;
}

/** One evaluation step. */
export function step(prev: SeriesStatus | undefined, ev: Evaluation, rule: RuleTiming, now: Date): StepResult {
  const p = prev ?? NORMAL;
  if (p.lastPeriod !== null && ev.period < p.lastPeriod) return { next: p, transitions: [] };
  const at = now.toISOString();
  const same = p.lastPeriod === ev.period;
  const streakBefore = same ? p.streakBefore : p.streak;
  const streak = advance(streakBefore, ev.outcome.kind);
  const o = ev.outcome;

  let state: SeriesState = p.state;
  let reason = p.reason;
  let severity = p.severity;
  let episode = p.episode;
  let opens = false;

  const open = episode !== null && !episode.closedByUser && (p.state === 'pending' || p.state === 'firing' || p.state === 'nodata' || p.state === 'error');

  switch (o.kind) {
    case 'breach': {
      if (episode?.closedByUser) {
        // The user closed this episode; it stays closed while the breach continues.
        reason = `${o.reason} (episode closed by a user; a new alert follows only after the condition clears)`;
        break;
      }
      if (!open) {
        episode = { startPeriod: ev.period, fired: false, closedByUser: false };
        opens = true;
      }
      const fires = episode!.fired || streak.breach >= rule.pendingFor;
      state = fires ? 'firing' : 'pending';
      severity = o.severity;
      episode = { ...episode!, fired: episode!.fired || fires };
      reason = fires ? o.reason : `${o.reason} (breach ${streak.breach} of ${rule.pendingFor} before firing)`;
      break;
    }
    case 'ok': {
      if (episode?.closedByUser) {
        episode = null;
        reason = o.reason;
        break;
      }
      if (!open) {
        reason = state === 'normal' || state === 'resolved' ? reason : o.reason;
        break;
      }
      if (!episode!.fired) {
        state = 'normal';
        severity = null;
        episode = null;
        reason = `${o.reason} (cleared before firing)`;
      } else if (streak.ok > rule.keepFiringFor) {
        state = 'resolved';
        reason = o.reason;
      } else {
        state = 'firing';
        reason = `${o.reason} (keeps firing: clear ${streak.ok} of ${rule.keepFiringFor + 1} before resolving)`;
      }
      break;
    }
    case 'nodata':
    case 'error': {
      if (!open) break;
      state = o.kind;
      reason = o.reason;
      break;
    }
  }

  const next: SeriesStatus = {
    state,
    reason,
    since: state !== p.state ? at : p.since,
    severity,
    lastPeriod: ev.period,
    lastOutcome: o.kind,
    streak,
    streakBefore,
    episode,
  };
  const transitions: Transition[] = [];
  if (state !== p.state) {
    transitions.push({
      kind: 'state',
      from: p.state,
      to: state,
      severityFrom: p.severity,
      severityTo: severity,
      reason,
      at,
      period: ev.period,
      episode: episode?.startPeriod ?? p.episode?.startPeriod ?? null,
      opensEpisode: opens,
    });
  } else if (state === 'firing' && severity !== p.severity) {
    transitions.push({
      kind: 'severity',
      from: state,
      to: state,
      severityFrom: p.severity,
      severityTo: severity,
      reason: `${severityRank(severity) > severityRank(p.severity) ? 'severity raised' : 'severity lowered'}: ${reason}`,
      at,
      period: ev.period,
      episode: episode?.startPeriod ?? null,
      opensEpisode: false,
    });
  }
  return { next, transitions };
}

/** A user resolves (closes) the open episode with an outcome. */
export function closeByUser(prev: SeriesStatus, reason: string, now: Date): StepResult {
  if (!prev.episode || prev.episode.closedByUser || !['pending', 'firing', 'nodata', 'error'].includes(prev.state)) return { next: prev, transitions: [] };
  const at = now.toISOString();
  const next: SeriesStatus = { ...prev, state: 'resolved', reason, since: at, episode: { ...prev.episode, closedByUser: true } };
  return {
    next,
    transitions: [
      { kind: 'state', from: prev.state, to: 'resolved', severityFrom: prev.severity, severityTo: prev.severity, reason, at, period: prev.lastPeriod ?? prev.episode.startPeriod, episode: prev.episode.startPeriod, opensEpisode: false },
    ],
  };
}
