/**
 * The monthly submission deadline of collection points: day 5 of the following month
 * (EXPORT-CONTRACT.md), overridable with RLM_SUBMISSION_DEADLINE_DAY (1-28).
 */
import { addMonths } from './period.ts';

export const DEFAULT_SUBMISSION_DEADLINE_DAY = 5;

export function submissionDeadlineDay(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RLM_SUBMISSION_DEADLINE_DAY;
  if (raw === undefined || raw === '') return DEFAULT_SUBMISSION_DEADLINE_DAY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 28) throw new Error(`RLM_SUBMISSION_DEADLINE_DAY must be an integer 1-28, got '${raw}'`);
  return n;
}

/** Last on-time day (YYYY-MM-DD) of the submission for month `m`. */
export function submissionDeadline(m: string, day: number = submissionDeadlineDay()): string {
  return `${addMonths(m, 1)}-${String(day).padStart(2, '0')}`;
}
