/**
 * The quantity sources rules can use (the `source` field of a rule).
 */
import type { QuantitySource } from './quantity-source.ts';
import { regionMonthSource } from './region-month-source.ts';
import { returnsSource } from './returns-source.ts';
import { festivalSource } from './festival-source.ts';
import { jobLossSource } from './job-loss-source.ts';
import { pointsSource } from './points-source.ts';
import { qualitySource } from './quality-source.ts';

export const SOURCES: Readonly<Record<string, QuantitySource>> = Object.fromEntries(
  [regionMonthSource, returnsSource, festivalSource, jobLossSource, pointsSource, qualitySource].map((s) => [s.id, s]),
);
