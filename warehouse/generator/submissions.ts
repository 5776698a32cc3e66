/**
 * Monthly submissions of a collection point: when the point submits (most between the
 * 25th and the 5th deadline, a few late), when the township reviews it (sometimes
 * returning it: 退回, then resubmitted), when the county re-verifies it; and the state of
 * that timeline as of a given day (files sent before the process ends show it partly
 * done).
 */
import { SUBMISSION } from './calibration.ts';
import { isoOf, monthStart } from './day-numbers.ts';
import { StreamKey, cumulativeOf } from './random.ts';

export interface SubmissionTimeline {
  readonly submitted: number;
  readonly returned: number | null;
  readonly resubmitted: number | null;
  readonly township: number;
  readonly county: number;
}

const WINDOW_CUM = cumulativeOf(SUBMISSION.submitWindows.map((w) => w[2]));

export function submissionTimeline(key: StreamKey, pointIndex: number, month: number): SubmissionTimeline {
  const rng = key.rng(pointIndex * 4096 + (month % 4096));
  const next1st = monthStart(month + 1);
  const w = SUBMISSION.submitWindows[rng.cumulative(WINDOW_CUM)];
  const submitted = next1st + rng.between(w[0], w[1]);
  let returned: number | null = null, resubmitted: number | null = null;
  let base = submitted;
  if (rng.chance(SUBMISSION.returnedShare)) {
    returned = submitted + rng.between(SUBMISSION.townshipReviewDays[0], SUBMISSION.townshipReviewDays[1]);
    resubmitted = returned + rng.between(SUBMISSION.resubmitDays[0], SUBMISSION.resubmitDays[1]);
    base = resubmitted;
  }
  const township = base + rng.between(SUBMISSION.townshipReviewDays[0], SUBMISSION.townshipReviewDays[1]);
  const county = township + rng.between(SUBMISSION.countyVerifyDays[0], SUBMISSION.countyVerifyDays[1]);
  return { submitted, returned, resubmitted, township, county };
}

export interface SubmissionState {
  readonly status: '未报送' | '已报送' | '乡镇已审核' | '县级已复核' | '退回';
  readonly submittedOn: string;
  readonly townshipReviewedOn: string;
  readonly countyVerifiedOn: string;
}

export function submissionStateAsOf(t: SubmissionTimeline, asOf: number): SubmissionState {
  const none = { submittedOn: '', townshipReviewedOn: '', countyVerifiedOn: '' };
  if (asOf < t.submitted) return { status: '未报送', ...none };
  if (t.returned !== null && t.resubmitted !== null) {
    if (asOf < t.returned) return { status: '已报送', ...none, submittedOn: isoOf(t.submitted) };
    if (asOf < t.resubmitted) return { status: '退回', ...none, submittedOn: isoOf(t.submitted), townshipReviewedOn: isoOf(t.returned) };
  }
  const submittedOn = isoOf(t.resubmitted ?? t.submitted);
  if (asOf < t.township) return { status: '已报送', ...none, submittedOn };
  if (asOf < t.county) return { status: '乡镇已审核', ...none, submittedOn, townshipReviewedOn: isoOf(t.township) };
  return { status: '县级已复核', submittedOn, townshipReviewedOn: isoOf(t.township), countyVerifiedOn: isoOf(t.county) };
}
