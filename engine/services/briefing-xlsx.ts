/**
 * A briefing's tables as an XLSX workbook (exceljs): the summary with the narrative, key
 * figures, rankings, increases and decreases by reason, child regions, the bulletin's
 * listings, the assessment with its evidence, revisions, and every figure with its
 * metric id, region, period and the API request that answers it.
 */
import ExcelJS from 'exceljs';
import { getMetric, isMetricId } from '../../warehouse/metrics/catalogue.ts';
import type { BriefingContent, Figure } from '../briefings/briefing-content.ts';
import type { BriefingSummary } from './briefing-store.ts';

const metricName = (id: string) => (isMetricId(id) ? getMetric(id).zh : id);

export async function briefingXlsx(meta: BriefingSummary, c: BriefingContent): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '农村劳动力实名制信息监测预警平台';
  const fig = new Map(c.figures.map((f) => [f.key, f]));
  const v = (key: string | null) => (key ? (fig.get(key)?.value ?? null) : null);
  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.columns.forEach((col) => (col.width = 16));
  };
  sheet('摘要', ['项目', '内容'], [
    ['标题', c.title],
    ['编号', meta.id],
    ['状态', meta.status === 'published' ? '已发布' : '草稿'],
    ['地区', `${c.regionName}（${c.region}）`],
    ['期间', c.period],
    ['数据截至', c.dataAsOf],
    ['仓库版本', c.warehouseVersion],
    ['发布时间', meta.publishedAt],
    ...c.narrative.map((s, i): (string | number | null)[] => [`要点${i + 1}`, s.text]),
  ]);
  sheet('关键指标', ['指标标识', '指标', '地区代码', '期间', '本期', '分子', '分母', '上期', '上期值', '上年同期', '上年同期值'],
    c.keyFigures.map((k) => {
      const f = fig.get(k.current)!;
      return [k.metric, metricName(k.metric), c.region, c.period, f.value, f.numerator ?? null, f.denominator ?? null, k.previousPeriod, v(k.previous), k.lastYearPeriod, v(k.lastYear)];
    }));
  sheet('排名', ['指标标识', '指标', '排序', '名次', '地区代码', '地区', '期间', '数值'],
    c.rankings.flatMap((t) => t.items.map((i) => [t.metric, metricName(t.metric), t.order === 'desc' ? '降序' : '升序', i.rank, i.code, i.name, c.period, v(i.figure)])));
  sheet('增减原因', ['方向', '原因', '地区代码', '期间', '人数'], c.reasons.map((r) => [r.direction === 'increases' ? '新增' : '减少', r.reason, c.region, c.period, v(r.figure)]));
  sheet('下级地区', ['地区代码', '地区', '期间', ...c.childMetrics.map(metricName)], c.children.map((ch) => [ch.code, ch.name, c.period, ...c.childMetrics.map((m) => v(ch.figures[m]))]));
  if (c.kind === 'quarterly') {
    sheet('表扬与约谈', ['类别', '地区代码', '地区', '规则', '说明', '数值'], [
      ...c.commended.map((l) => ['表扬', l.code, l.name, l.rule, l.ruleText, v(l.figures[0])]),
      ...c.calledIn.map((l) => ['约谈', l.code, l.name, l.rule, l.ruleText, v(l.figures[0])]),
    ]);
  }
  if (c.kind === 'annual') {
    sheet('考核得分', ['名次', '地区代码', '地区', '层级', '得分', '等次', ...(c.assessment[0]?.items.map((i) => `${i.label}（${i.weight}分）`) ?? [])],
      c.assessment.map((a) => [a.rank, a.code, a.name, a.level === 'city' ? '市（州）' : '县（市、区）', a.score, a.grade, ...a.items.map((i) => i.points)]));
    sheet('考核依据', ['地区代码', '地区', '指标', '满分', '数值', '得分', '计分规则'],
      c.assessment.flatMap((a) => a.items.map((i) => [a.code, a.name, i.label, i.weight, v(i.figure), i.points, i.rule])));
  }
  sheet('更正', ['指标标识', '指标', '地区代码', '地区', '期间', '原值', '新值', '原仓库版本', '新仓库版本', '原简报编号', '原因'],
    c.revisions.map((r) => [r.metric, metricName(r.metric), r.region, r.regionName, r.period, r.old, r.new, r.oldVersion, r.newVersion, r.fromBriefing, r.why]));
  const figRow = (f: Figure) => [f.key, f.source, f.metric, f.region, f.regionName, f.period, f.value, f.numerator ?? null, f.denominator ?? null, f.dimension ? JSON.stringify(f.dimension) : null, f.api];
  sheet('全部数据', ['键', '来源', '指标标识', '地区代码', '地区', '期间', '数值', '分子', '分母', '维度', '接口'], c.figures.map(figRow));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
