/**
 * Alert severities, lowest first: 蓝 blue, 黄 yellow, 橙 orange, 红 red.
 */
export const SEVERITIES = ['blue', 'yellow', 'orange', 'red'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_NAMES: Readonly<Record<Severity, { zh: string; en: string }>> = {
  blue: { zh: '蓝色', en: 'Blue' },
  yellow: { zh: '黄色', en: 'Yellow' },
  orange: { zh: '橙色', en: 'Orange' },
  red: { zh: '红色', en: 'Red' },
};

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Rank 1 (blue) .. 4 (red); 0 for none. */
export function severityRank(s: Severity | null | undefined): number {
  return s ? SEVERITIES.indexOf(s) + 1 : 0;
}

/** The higher of two severities. */
export function maxSeverity(a: Severity | null | undefined, b: Severity | null | undefined): Severity | null {
  return severityRank(a) >= severityRank(b) ? (a ?? null) : (b ?? null);
}
