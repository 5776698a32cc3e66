/**
 * The thresholds of the data-quality checks (docs/quality.md). Defaults follow the
 * notice: submissions due by the 5th of the next month, a point of its own for villages
 * of 1,000 or more registered people, monthly verification (3 months without one is
 * stale), pension age 60.
 */
export interface QualitySettings {
  /** Day of the following month by which a month's submission is due. */
  readonly deadlineDay: number;
  /** A record is stale when its last verification (verified_on) is this many months or more before the reference date. */
  readonly staleMonths: number;
  /** Registered persons from which a village should have a collection point of its own. */
  readonly largeVillageThreshold: number;
  /** Age from which a registered person is flagged as likely drawing a pension. */
  readonly pensionAge: number;
  /** Monthly income below this for wage work (21-24) is implausible (yuan). */
  readonly wageIncomeMin: number;
  /** Monthly income above this is implausible for anyone (yuan). */
  readonly incomeMax: number;
  /** A phone number shared by this many or more active persons is flagged. */
  readonly sharedPhoneMin: number;
  /** An employment status changed and changed back within this many days is an implausible flip. */
  readonly flipDays: number;
}

export const DEFAULT_QUALITY_SETTINGS: QualitySettings = {
  deadlineDay: 5,
  staleMonths: 3,
  largeVillageThreshold: 1000,
  pensionAge: 60,
  wageIncomeMin: 800,
  incomeMax: 50_000,
  sharedPhoneMin: 5,
  flipDays: 7,
};

/** Settings with overrides, each checked. */
export function qualitySettings(overrides: Partial<QualitySettings> = {}): QualitySettings {
  const s = { ...DEFAULT_QUALITY_SETTINGS, ...overrides };
  const intIn = (name: keyof QualitySettings, lo: number, hi: number) => {
    const v = s[name];
    if (!(Number.isInteger(v) && v >= lo && v <= hi)) throw new RangeError(`quality setting ${name} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  intIn('deadlineDay', 1, 28);
  intIn('staleMonths', 1, 36);
  intIn('largeVillageThreshold', 1, 1_000_000);
  intIn('pensionAge', 40, 100);
  intIn('wageIncomeMin', 0, 1_000_000);
  intIn('incomeMax', 1, 10_000_000);
  intIn('sharedPhoneMin', 2, 1000);
  intIn('flipDays', 1, 365);
  if (s.wageIncomeMin >= s.incomeMax) throw new RangeError('quality setting wageIncomeMin must be below incomeMax');
  return s;
}
