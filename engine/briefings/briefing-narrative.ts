/**
 * The narrative of a briefing: short Chinese sentences from templates, each stating
 * figures of the briefing and listing their keys. A sentence whose figures are missing is
 * left out: no statement without a figure behind it.
 */
import { getMetric, type MetricId } from '../../warehouse/metrics/catalogue.ts';
import type { AssessmentRow, BriefingKind, Figure, KeyFigureRow, Listing, RankingTable, ReasonRow, Revision, Sentence, AlertCounts } from './briefing-content.ts';
import { formatChange, formatFigure } from './figure-format.ts';

export interface NarrativeInput {
  readonly kind: BriefingKind;
  readonly regionName: string;
  readonly periodLabel: string;
  readonly keyFigures: readonly KeyFigureRow[];
  readonly rankings: readonly RankingTable[];
  readonly reasons: readonly ReasonRow[];
  readonly alerts: AlertCounts;
  readonly commended: readonly Listing[];
  readonly calledIn: readonly Listing[];
  readonly assessment: readonly AssessmentRow[];
  readonly revisions: readonly Revision[];
  readonly figure: (key: string) => Figure;
}

const PREVIOUS: Record<BriefingKind, string> = { monthly: '上月', quarterly: '上季度', annual: '上年' };

export function briefingNarrative(n: NarrativeInput): Sentence[] {
  const out: Sentence[] = [];
  const row = (m: MetricId) => n.keyFigures.find((k) => k.metric === m);
  const val = (key: string | null | undefined) => (key ? n.figure(key).value : null);
  const f = (key: string) => formatFigure(n.figure(key).metric, n.figure(key).value);
  const cmp = (r: KeyFigureRow | undefined, what: 'mom' | 'yoy'): { text: string; keys: string[] } => {
    const key = what === 'mom' ? r?.previous : r?.lastYear;
    const c = r?.[what];
    if (!r || !key || !c || c.change === null) return { text: '', keys: [] };
    const label = what === 'mom' ? PREVIOUS[n.kind] : '上年同期';
    return { text: `，比${label}（${f(key)}）${formatChange(r.metric, c.change)}`, keys: [key] };
  };

  const lf = row('labour_force');
  if (lf && val(lf.current) !== null) {
    const m = cmp(lf, 'mom');
    const y = n.kind === 'annual' ? { text: '', keys: [] } : cmp(lf, 'yoy');
    out.push({ text: `${n.periodLabel}末，${n.regionName}农村劳动力登记${f(lf.current)}人${m.text}${y.text}。`, figures: [lf.current, ...m.keys, ...y.keys] });
  }
  const emp = row('employed');
  const tr = row('transfer_employed');
  const un = row('unemployed');
  const ur = row('unemployment_rate');
  if (emp && tr && un && ur && val(emp.current) !== null && val(ur.current) !== null) {
    const urf = n.figure(ur.current);
    const m = cmp(ur, 'mom');
    out.push({
      text: `就业${f(emp.current)}人，其中转移就业${f(tr.current)}人；失业${f(un.current)}人，失业率${f(ur.current)}（${formatFigure('unemployed', urf.numerator ?? null)} / ${formatFigure('labour_force', urf.denominator ?? null)}）${m.text}。`,
      figures: [emp.current, tr.current, un.current, ur.current, ...m.keys],
    });
  }
  const inc = row('increases');
  const dec = row('decreases');
  const net = row('net_change');
  if (inc && dec && net && val(inc.current) !== null) {
    const top = (dir: 'increases' | 'decreases') =>
      n.reasons.filter((r) => r.direction === dir && (val(r.figure) ?? 0) > 0).sort((a, b) => (val(b.figure) ?? 0) - (val(a.figure) ?? 0))[0];
    const ti = top('increases');
    const td = top('decreases');
    const parts = [ti ? `新增以${ti.reason}为主（${f(ti.figure)}人）` : '', td ? `减少以${td.reason}为主（${f(td.figure)}人）` : ''].filter(Boolean);
    out.push({
      text: `期内新增${f(inc.current)}人、减少${f(dec.current)}人，净增${formatChange('net_change', val(net.current) ?? 0)}人${parts.length ? `；${parts.join('，')}` : ''}。`,
      figures: [inc.current, dec.current, net.current, ...(ti ? [ti.figure] : []), ...(td ? [td.figure] : [])],
    });
  }
  const pe = row('poverty_employed');
  const py = row('poverty_employed_yoy');
  if (pe && py && val(pe.current) !== null && val(py.current) !== null) {
    const ratio = val(py.current)!;
    out.push({
      text: `脱贫劳动力务工规模${f(pe.current)}人，为上年同期的${f(py.current)}，${ratio >= 1 ? '守住' : '低于'}“不低于上年规模”的政策红线。`,
      figures: [pe.current, py.current],
    });
  }
  const pc = row('point_coverage');
  const pu = row('point_update_rate');
  const pt = row('point_on_time_rate');
  const qs = row('quality_score');
  if (pc && pu && pt && qs && val(pu.current) !== null) {
    out.push({
      text: `采集点覆盖率${f(pc.current)}，月度更新率${f(pu.current)}，按时报送率${f(pt.current)}，数据质量得分${f(qs.current)}分。`,
      figures: [pc.current, pu.current, pt.current, qs.current],
    });
  }
  out.push({
    text: `期内涉及预警${f(n.alerts.total)}条，其中待签收${f(n.alerts.open)}条、已签收处置中${f(n.alerts.acknowledged)}条、已办结${f(n.alerts.closed)}条。`,
    figures: [n.alerts.total, n.alerts.open, n.alerts.acknowledged, n.alerts.closed],
  });
  const rate = n.rankings.find((r) => r.metric === 'unemployment_rate');
  const upd = n.rankings.find((r) => r.metric === 'point_update_rate');
  const first = (t: RankingTable | undefined) => t?.items.find((i) => i.rank !== null);
  const hi = first(rate);
  const lo = first(upd);
  if (hi && lo) {
    out.push({
      text: `下级地区中，失业率最高的是${hi.name}（${f(hi.figure)}），月度更新率最低的是${lo.name}（${f(lo.figure)}）。`,
      figures: [hi.figure, lo.figure],
    });
  }
  if (n.kind === 'quarterly') {
    if (n.commended.length) {
      const names = [...new Set(n.commended.map((c) => c.name))];
      out.push({ text: `通报表扬${names.join('、')}（${n.commended.map((c) => `${c.name}${c.ruleText}`).join('；')}）。`, figures: n.commended.flatMap((c) => c.figures) });
    }
    if (n.calledIn.length) {
      const names = [...new Set(n.calledIn.map((c) => c.name))];
      out.push({ text: `${names.length}个地区达到约谈条件：${n.calledIn.map((c) => `${c.name}${c.ruleText}`).join('；')}。`, figures: n.calledIn.flatMap((c) => c.figures) });
    }
  }
  if (n.kind === 'annual' && n.assessment.length) {
    for (const level of ['city', 'county']) {
      const best = n.assessment.find((a) => a.level === level && a.rank === 1);
      if (best) {
        out.push({
          text: `${level === 'city' ? '市（州）' : '县（市、区）'}考核得分最高的是${best.name}（${best.score}分，${best.grade}），依据：${best.items.map((i) => `${i.label}${f(i.figure)}`).join('、')}。`,
          figures: best.items.map((i) => i.figure),
        });
      }
    }
  }
  if (n.revisions.length) {
    out.push({
      text: `上期已发布简报中有${n.revisions.length}项数据因后续更正而变化：${n.revisions.slice(0, 3).map((r) => `${r.regionName}${r.period}${getMetricName(r.metric)}由${formatFigure(r.metric, r.old)}更正为${formatFigure(r.metric, r.new)}`).join('；')}${n.revisions.length > 3 ? '等' : ''}（详见更正表）。`,
      figures: n.revisions.map((r) => r.figure),
    });
  }
  return out;
}

function getMetricName(id: string): string {
  try {
    return getMetric(id as MetricId).zh;
  } catch {
    return id;
  }
}
