/**
 * Plants record-level and cross-department problems the generator does not plant, into
 * a generated initial batch, as valid contract rows (so none is quarantined): change
 * events appended to the history changes file (and the end snapshot updated to match,
 * so that reconciliation still finds exactly the generator's planted differences), and
 * edits of the two rosters. Existing rows keep their row numbers (truth.json's dirty rows
 * stay valid). Returns what was planted, per check, with the county it counts under.
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { makeIdNumber } from '../../../warehouse/reference/id-number.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';
import { readExport, type Truth } from './raw-export.ts';
import type { Person } from './independent-quality.ts';

export interface PlantedPerson {
  readonly id: string;
  readonly county: string;
}

export interface Planted {
  readonly statusWorkRegion: PlantedPerson[];
  readonly incomeOutOfRange: PlantedPerson[];
  readonly ageOverLimit: PlantedPerson[];
  readonly sharedPhone: PlantedPerson[];
  readonly presenceConflict: PlantedPerson[];
  readonly statusFlip: PlantedPerson[];
  readonly notInRegistry: PlantedPerson[];
  readonly notOnRoster: PlantedPerson[];
  readonly villageMismatch: PlantedPerson[];
  readonly notFlagged: PlantedPerson[];
  readonly sharedPhoneNumber: string;
}

/** Splits one CSV line (no quoted delimiters in generated data; checked). */
function cells(line: string, d: string): string[] {
  if (line.includes('"')) throw new Error(`quoted field in a line the planter edits: ${line.slice(0, 80)}`);
  return line.split(d);
}

interface TextFile {
  path: string;
  bom: boolean;
  eol: string;
  delimiter: string;
  encoding: 'utf-8' | 'gb18030';
  lines: string[];
}

function openText(path: string, encoding: 'utf-8' | 'gb18030', delimiter: string): TextFile {
  const bytes = readFileSync(path);
  let text = encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, 'gb18030');
  const bom = text.startsWith('\uFEFF');
  if (bom) text = text.slice(1);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  if (lines[lines.length - 1] === '') lines.pop();
  return { path, bom, eol, delimiter, encoding, lines };
}

function saveText(f: TextFile): void {
  const text = (f.bom ? '\uFEFF' : '') + f.lines.join(f.eol) + f.eol;
  writeFileSync(f.path, f.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030'));
}

export async function plantQualityProblems(o: {
  batchDir: string;
  batch: string;
  truth: Truth;
  /** Registry at the end of the day before the planted events (independent replay). */
  stateBefore: Map<string, Person>;
  /** Persons with any event (clean or dirty) dated or recorded after that day. */
  touchedLater: Set<string>;
}): Promise<Planted> {
  const files = readdirSync(o.batchDir);
  const changesName = files.find((f) => /^changes_\d{8}_\d{8}\.csv$/.test(f))!;
  const personsNames = files.filter((f) => f.startsWith('persons_')).sort();
  const endName = personsNames[personsNames.length - 1];
  const pointsName = files.find((f) => f.startsWith('points_'))!;
  const lastDay = `${endName.slice(8, 12)}-${endName.slice(12, 14)}-${endName.slice(14, 16)}`; // e.g. 2026-03-31
  const d1 = lastDay.slice(0, 8) + String(Number(lastDay.slice(8)) - 2).padStart(2, '0'); // two days before
  const d2 = lastDay.slice(0, 8) + String(Number(lastDay.slice(8)) - 1).padStart(2, '0');
  const tFile = (name: string) => o.truth.files.find((f) => f.file === `${o.batch}/${name}`)!;

  const changes = openText(join(o.batchDir, changesName), 'utf-8', ',');
  const head = cells(changes.lines[0], ',');
  const end = openText(join(o.batchDir, endName), 'utf-8', ',');
  const pHead = cells(end.lines[0], ',');
  const povertyName = files.find((f) => f.startsWith('roster-poverty_'))!;
  const relocatedName = files.find((f) => f.startsWith('roster-relocated_'))!;
  const pf = tFile(povertyName);
  const rf = tFile(relocatedName);
  const poverty = openText(join(o.batchDir, povertyName), pf.encoding === 'gb18030' ? 'gb18030' : 'utf-8', pf.delimiter);
  const relocated = openText(join(o.batchDir, relocatedName), rf.encoding === 'gb18030' ? 'gb18030' : 'utf-8', rf.delimiter);

  // Every ID of the batch (to allocate unused ones) and the end snapshot's line per ID.
  const used = new Set<string>();
  const endLine = new Map<string, number>();
  for (const name of files.filter((f) => f.startsWith('persons_') || f.startsWith('changes_') || f.startsWith('roster-'))) {
    for (const r of await readExport(join(o.batchDir, name))) used.add(String(r.values['公民身份号码'] ?? '').toUpperCase());
  }
  end.lines.forEach((l, i) => i > 0 && endLine.set(l.slice(0, 18).toUpperCase(), i));
  const dirtyIds = new Set(o.truth.reconciliation.map((r) => r.id_number));

  // Villages with exactly one point (from the points file), for new persons.
  const pointOf = new Map<string, string[]>();
  for (const r of await readExport(join(o.batchDir, pointsName))) {
    for (const v of String(r.values['覆盖村代码'] ?? '').split(';')) if (v) pointOf.set(v, [...(pointOf.get(v) ?? []), String(r.values['采集点编码'])]);
  }

  const candidates = [...o.stateBefore.values()]
    .filter((p) => !o.touchedLater.has(p.id) && !dirtyIds.has(p.id) && endLine.has(p.id) && (pointOf.get(p.village)?.length ?? 0) === 1)
    .sort((a, b) => a.id.localeCompare(b.id));
  const taken = new Set<string>();
  const pick = (pred: (p: Person) => boolean, what: string): Person => {
    const p = candidates.find((c) => !taken.has(c.id) && pred(c));
    if (!p) throw new Error(`planter: no person for ${what}`);
    taken.add(p.id);
    return p;
  };
  const county = (p: { village: string }) => p.village.slice(0, 6);
  const row = (values: Record<string, string>) => head.map((h) => values[h] ?? '').join(',');
  const setEnd = (id: string, values: Record<string, string>) => {
    const i = endLine.get(id)!;
    const c = cells(end.lines[i], ',');
    for (const [k, v] of Object.entries(values)) c[pHead.indexOf(k)] = v;
    end.lines[i] = c.join(',');
  };
  const event = (p: Person | string, date: string, type: string, reason: string, point: string, values: Record<string, string>) => {
    changes.lines.push(row({ 公民身份号码: typeof p === 'string' ? p : p.id, 变动日期: date, 录入日期: date, 变动类型: type, 变动原因: reason, 采集点编码: point, 审核状态: '县级已复核', ...values }));
    // A status change also sets the person's point and review status (the event's own columns): keep the end snapshot equal.
    if (type === '状态变更' && typeof p !== 'string') setEnd(p.id, { 采集点编码: point, 审核状态: '县级已复核' });
  };
  const pointFor = (p: Person) => pointOf.get(p.village)![0];

  const regions = loadRegions();
  const otherSichuanCounty = (home: string) => regions.counties.find((c) => c.code !== home && c.code.startsWith('5101'))!.code;

  // 1. 22 → 23 with a Sichuan work region; 10 → 22 inside the home county.
  const a = pick((p) => p.status === '22' && p.presence === '在外', '22 → 23 in Sichuan');
  const aRegion = otherSichuanCounty(county(a));
  event(a, d1, '状态变更', '就业变动', pointFor(a), { 就业状态: '23', 就业地区代码: aRegion });
  setEnd(a.id, { 就业状态: '23', 就业地区代码: aRegion });
  const b = pick((p) => p.status === '10' && p.presence === '在乡', '10 → 22 in the home county');
  event(b, d1, '状态变更', '就业变动', pointFor(b), { 就业状态: '22', 就业地区代码: county(b) });
  setEnd(b.id, { 就业状态: '22', 就业地区代码: county(b) });
  // 2. An implausible income.
  const c = pick((p) => p.status === '23' && p.workRegion !== null && !p.workRegion.startsWith('51') && p.workRegion !== '990000', 'income');
  event(c, d1, '状态变更', '信息更正', pointFor(c), { 月收入: '150000' });
  setEnd(c.id, { 月收入: '150000' });
  // 3. 返乡 of a person already at home (presence unchanged: no snapshot change).
  const d = pick((p) => p.presence === '在乡' && p.status === '10', 'presence conflict');
  event(d, d1, '状态变更', '返乡', pointFor(d), {});
  // 4. 21 → 40 → 21 within two days (no net change).
  const e = pick((p) => p.status === '21' && p.workRegion === county(p), 'status flip');
  event(e, d1, '状态变更', '就业变动', pointFor(e), { 就业状态: '40' });
  event(e, d2, '状态变更', '就业变动', pointFor(e), { 就业状态: '21' });
  // 5. Six newcomers sharing one phone, and one newcomer aged 62, in one village.
  const village = [...pointOf].find(([v, pts]) => pts.length === 1 && v.startsWith('5117') && regions.byCode.has(v))![0];
  const point = pointOf.get(village)![0];
  const phone = '13912345678';
  const newcomer = (birth: string, phoneNo: string, name: string) => {
    let seq = 999;
    let id = makeIdNumber(village.slice(0, 6), birth, seq);
    while (used.has(id)) id = makeIdNumber(village.slice(0, 6), birth, (seq -= 2));
    used.add(id);
    const values: Record<string, string> = {
      姓名: name,
      性别: '男',
      出生日期: birth,
      户籍村代码: village,
      采集点编码: point,
      联系电话: phoneNo,
      脱贫劳动力: '否',
      易地搬迁: '否',
      就业状态: '10',
      所在状态: '在乡',
      登记日期: d1,
      核实日期: d1,
      审核状态: '县级已复核',
    };
    event(id, d1, '新增', '外地迁入', point, values);
    end.lines.push(pHead.map((h) => values[h] ?? (h === '公民身份号码' ? id : '')).join(','));
    return id;
  };
  const shared = ['1985-01-11', '1986-02-12', '1987-03-13', '1988-04-14', '1989-05-15', '1990-06-16'].map((bd, i) => newcomer(bd, phone, `试验${'甲乙丙丁戊己'[i]}`));
  const old = newcomer('1963-07-01', '13987654321', '试验庚');

  // 6. Rosters: a stranger on the poverty roster, a flagged person left off, a village changed; a relocated entry for an unflagged person.
  const pCols = cells(poverty.lines[0], poverty.delimiter);
  const ci = (k: string) => pCols.indexOf(k);
  const asOf = cells(poverty.lines[1], poverty.delimiter)[ci('名单日期')];
  let strangerSeq = 997;
  let stranger = makeIdNumber(village.slice(0, 6), '1979-09-09', strangerSeq);
  while (used.has(stranger)) stranger = makeIdNumber(village.slice(0, 6), '1979-09-09', (strangerSeq -= 2));
  used.add(stranger);
  poverty.lines.push([stranger, '外人甲', village, '脱贫劳动力', '四川省乡村振兴局', asOf].join(poverty.delimiter));
  const rosterIdx = (f: TextFile, id: string) => f.lines.findIndex((l, i) => i > 0 && l.startsWith(id));
  const offRoster = pick((p) => p.poverty && rosterIdx(poverty, p.id) > 0, 'poverty person to leave off the roster');
  // Removing a line renumbers the rows after it, harmless only when truth.json lists no dirty row in this file.
  if (o.truth.dirtyRows.some((r) => r.file === `${o.batch}/${povertyName}`)) throw new Error('planter: poverty roster has dirty rows; removing a line would shift them');
  poverty.lines.splice(rosterIdx(poverty, offRoster.id), 1);
  const moved = pick((p) => p.poverty && rosterIdx(poverty, p.id) > 0, 'poverty person whose roster village differs');
  const otherVillage = regions.children(moved.village.slice(0, 9)).find((v) => v.code !== moved.village)?.code;
  if (!otherVillage) throw new Error('planter: no other village in the township');
  const mi = rosterIdx(poverty, moved.id);
  const mc = cells(poverty.lines[mi], poverty.delimiter);
  mc[ci('户籍村代码')] = otherVillage;
  poverty.lines[mi] = mc.join(poverty.delimiter);
  const unflagged = pick((p) => !p.relocated && !p.poverty, 'unflagged person on the relocated roster');
  const rCols = cells(relocated.lines[0], relocated.delimiter);
  const rrow: string[] = rCols.map((h) => ({ 公民身份号码: unflagged.id, 姓名: '名单乙', 户籍村代码: unflagged.village, 名单类型: '易地搬迁', 来源部门: '四川省发展和改革委员会', 名单日期: asOf })[h] ?? '');
  relocated.lines.push(rrow.join(relocated.delimiter));

  saveText(changes);
  saveText(end);
  saveText(poverty);
  saveText(relocated);
  const pp = (p: Person) => ({ id: p.id, county: county(p) });
  return {
    statusWorkRegion: [pp(a), pp(b)],
    incomeOutOfRange: [pp(c)],
    presenceConflict: [pp(d)],
    statusFlip: [pp(e)],
    sharedPhone: shared.map((id) => ({ id, county: village.slice(0, 6) })),
    ageOverLimit: [{ id: old, county: village.slice(0, 6) }],
    notInRegistry: [{ id: stranger, county: village.slice(0, 6) }],
    notOnRoster: [pp(offRoster)],
    villageMismatch: [pp(moved)],
    notFlagged: [pp(unflagged)],
    sharedPhoneNumber: phone,
  };
}
