/**
 * The figures of one briefing being built: each recorded once under a stable key, with
 * the API request that answers the same figure (`/api/metrics/values`, `/api/explore`,
 * `/api/alerts`).
 */
import type { MetricValue } from '../../warehouse/metrics/metric-value.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import type { Figure } from './briefing-content.ts';

export class FigureBook {
  private readonly byKey = new Map<string, Figure>();

  private name(code: string): string {
    return loadRegions().byCode.get(code)?.name ?? code;
  }

  metric(metric: string, region: string, period: string, v: MetricValue): string {
    const key = `m:${metric}:${region}:${period}`;
    if (!this.byKey.has(key)) {
      this.byKey.set(key, {
        key,
        source: 'metrics',
        metric,
        region,
        regionName: this.name(region),
        period,
        value: v.value,
        ...('numerator' in v ? { numerator: v.numerator ?? null, denominator: v.denominator ?? null } : {}),
        api: `/api/metrics/values?region=${region}&period=${period}&metrics=${metric}`,
      });
    }
    return key;
  }

  explore(metric: 'increases' | 'decreases', region: string, period: string, dimension: string, code: string, value: number | null): string {
    const key = `e:${metric}:${region}:${period}:${dimension}=${code}`;
    if (!this.byKey.has(key)) {
      const level = loadRegions().byCode.get(region)?.level ?? 'province';
      this.byKey.set(key, {
        key,
        source: 'explore',
        metric,
        region,
        regionName: this.name(region),
        period,
        value,
        dimension: { [dimension]: code },
        api: `POST /api/explore {"level":"${level}","region":"${region}","periods":["${period}"],"dimensions":["${dimension}"],"measures":["increases","decreases"]}`,
      });
    }
    return key;
  }

  alerts(region: string, period: string, workflow: Figure['workflow'], value: number): string {
    const metric = workflow ? `alerts_${workflow}` : 'alerts';
    const key = `a:${metric}:${region}:${period}`;
    if (!this.byKey.has(key)) {
      this.byKey.set(key, {
        key,
        source: 'alerts',
        metric,
        region,
        regionName: this.name(region),
        period,
        value,
        ...(workflow ? { workflow } : {}),
        api: `/api/alerts?region=${region}&period=${period}${workflow ? `&workflow=${workflow}` : ''}&limit=1`,
      });
    }
    return key;
  }

  get(key: string): Figure {
    const f = this.byKey.get(key);
    if (!f) throw new Error(`no figure '${key}'`);
    return f;
  }

  all(): Figure[] {
    return [...this.byKey.values()];
  }
}
