/**
 * Whether the data cover a report month's submission deadline (the metric catalogue's
 * submissionDeadline: day `deadlineDay` of the following month); the reason if not.
 */
import { submissionDeadline } from '../../warehouse/metrics/submission-deadline.ts';

export function deadlineNotPassed(period: string, coverage: { firstMonth: string; dataAsOf: string }, deadlineDay: number): string | undefined {
  if (period < coverage.firstMonth) return `no data before ${coverage.firstMonth}`;
  const deadline = submissionDeadline(period, deadlineDay);
  if (coverage.dataAsOf < deadline) return `the deadline ${deadline} for ${period} is after the data (${coverage.dataAsOf})`;
  return undefined;
}
