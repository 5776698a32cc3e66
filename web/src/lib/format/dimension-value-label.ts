/**
 * The label of a dimension value in the current language: from the catalogue's value
 * list (codes with zh/en), province names for destinations, else the value itself.
 */
import type { DimensionDefinition } from '../api/metric-types.js';
import type { Lang } from '../i18n/lang.js';
import { PROVINCE_NAMES } from './province-names.js';

export function dimensionValueLabel(dim: DimensionDefinition | undefined, value: string | number | boolean | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '–';
  const code = String(value);
  const listed = dim?.values?.find((v) => v.code === code);
  if (listed) return listed[lang];
  if (dim?.id === 'dest_province' || dim?.id === 'dest_city') {
    const p = PROVINCE_NAMES[code];
    if (p) return p[lang];
  }
  return code;
}
