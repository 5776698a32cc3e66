/**
 * Walks every figure of a briefing and asks the API for the same figure: catalogue
 * metrics through GET /api/metrics/values (batched per region and period), breakdowns by
 * reason through POST /api/explore, alert counts through GET /api/alerts. Returns the
 * mismatches (empty when the briefing equals the API) and how many figures were checked.
 */
import type { ApiSession } from '../api-session.ts';

export interface Figure {
  key: string;
  source: 'metrics' | 'explore' | 'alerts';
  metric: string;
  region: string;
  period: string;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  dimension?: Record<string, string>;
  workflow?: string;
  api: string;
}

const LEVELS: Record<number, string> = { 6: 'county', 9: 'township', 12: 'village' };
const levelOf = (code: string) => (code === '510000' ? 'province' : code.length === 6 && code.endsWith('00') ? 'city' : LEVELS[code.length]);

export async function checkFigures(api: ApiSession, figures: readonly Figure[]): Promise<{ checked: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  let checked = 0;
  const groups = new Map<string, Figure[]>();
  for (const f of figures) {
    const g = `${f.source}|${f.region}|${f.period}`;
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  for (const [g, list] of groups) {
    const [source, region, period] = g.split('|');
    if (source === 'metrics') {
      const ids = [...new Set(list.map((f) => f.metric))];
      for (let i = 0; i < ids.length; i += 26) {
        const chunk = ids.slice(i, i + 26);
        const res = await api.get(`/api/metrics/values?region=${region}&period=${period}&metrics=${chunk.join(',')}`);
        if (res.statusCode !== 200) {
          mismatches.push(`${g}: API ${res.statusCode} ${res.body}`);
          continue;
        }
        const values = res.json().values as Record<string, { value: number | null; numerator?: number | null; denominator?: number | null }>;
        for (const f of list.filter((x) => chunk.includes(x.metric))) {
          checked++;
          const v = values[f.metric];
          const want = { value: v.value, numerator: v.numerator, denominator: v.denominator };
          const got = { value: f.value, numerator: f.numerator, denominator: f.denominator };
          if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push(`${f.key}: briefing ${JSON.stringify(got)} API ${JSON.stringify(want)}`);
          if (!f.api.startsWith(`/api/metrics/values?region=${region}&period=${period}&metrics=${f.metric}`)) mismatches.push(`${f.key}: api ${f.api}`);
        }
      }
    } else if (source === 'explore') {
      const res = await api.post('/api/explore', { level: levelOf(region), region, periods: [period], dimensions: ['reason'], measures: ['increases', 'decreases'] });
      if (res.statusCode !== 200) {
        mismatches.push(`${g}: explore ${res.statusCode} ${res.body}`);
        continue;
      }
      const rows = res.json().rows as Record<string, unknown>[];
      for (const f of list) {
        checked++;
        const row = rows.find((r) => r.reason === f.dimension!.reason && r.region_code === region);
        const want = row ? Number(row[f.metric] ?? 0) : 0;
        if (want !== f.value) mismatches.push(`${f.key}: briefing ${f.value} explore ${want}`);
      }
    } else {
      for (const f of list) {
        checked++;
        const res = await api.get(`/api/alerts?region=${region}&period=${period}${f.workflow ? `&workflow=${f.workflow}` : ''}&limit=1`);
        if (res.statusCode !== 200) mismatches.push(`${f.key}: alerts ${res.statusCode} ${res.body}`);
        else if (res.json().total !== f.value) mismatches.push(`${f.key}: briefing ${f.value} alerts API ${res.json().total}`);
      }
    }
  }
  return { checked, mismatches };
}
