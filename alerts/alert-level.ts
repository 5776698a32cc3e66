/**
 * The levels a rule runs at: the region hierarchy below the province, plus collection
 * points (采集点) for the point rules. A point alert is scoped by its township.
 */
export const ALERT_LEVELS = ['province', 'city', 'county', 'township', 'village', 'point'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const ALERT_LEVEL_NAMES: Readonly<Record<AlertLevel, { zh: string; en: string }>> = {
  province: { zh: '省', en: 'Province' },
  city: { zh: '市（州）', en: 'City' },
  county: { zh: '县（市、区）', en: 'County' },
  township: { zh: '乡镇（街道）', en: 'Township' },
  village: { zh: '村（社区）', en: 'Village' },
  point: { zh: '采集点', en: 'Collection point' },
};

export function isAlertLevel(value: unknown): value is AlertLevel {
  return typeof value === 'string' && (ALERT_LEVELS as readonly string[]).includes(value);
}
