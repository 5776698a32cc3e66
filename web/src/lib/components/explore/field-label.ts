/** Labels of the explorer's result fields and values: period, region, dimensions (catalogue), measures (catalogue). */
import type { Catalogue } from '../../api/metrics.js';
import type { ExploreCell } from '../../api/explore.js';
import type { Lang } from '../../i18n/lang.js';
import { translate } from '../../i18n/messages.js';
import { dimensionValueLabel } from '../../format/dimension-value-label.js';
import { formatPeriod } from '../../format/period-format.js';
import { formatByUnit } from '../../format/metric-format.js';

export function fieldLabel(field: string, catalogue: Catalogue, lang: Lang): string {
  if (field === 'period') return translate(lang, 'explore.period');
  if (field === 'region_name' || field === 'region_code') return translate(lang, 'table.region');
  const dim = catalogue.dimensionById.get(field);
  if (dim) return dim[lang];
  const m = /^(.*?)(_numerator|_denominator)?$/.exec(field);
  const def = m ? catalogue.byId.get(m[1]) : undefined;
  if (def) return m?.[2] ? `${def[lang]} · ${translate(lang, m[2] === '_numerator' ? 'metric.numerator' : 'metric.denominator')}` : def[lang];
  return field;
}

export function cellText(field: string, value: ExploreCell, catalogue: Catalogue, lang: Lang): string {
  if (value === null) return '–';
  if (field === 'period') return formatPeriod(String(value), lang);
  const dim = catalogue.dimensionById.get(field);
  if (dim) return dimensionValueLabel(dim, value, lang);
  if (typeof value === 'number') {
    const def = catalogue.byId.get(field);
    return formatByUnit(def?.unit ?? 'persons', value);
  }
  return String(value);
}
