/**
 * Planted dirty rows (--dirty RATE): ADDITIONAL rows inserted among the clean rows of
 * persons and changes files, each with exactly one defect whose reason is the first
 * failing check in CHECK_ORDER (warehouse/contract/reject-reasons.ts). Fake persons use
 * IDs from the county's reserved fake range, so they never collide with a real person
 * (except where the defect is a collision on purpose). Every planted row is recorded
 * with its physical row number (header = row 1).
 */
import { idCheckCharacter } from '../reference/id-number.ts';
import { addYears, isoOf } from './day-numbers.ts';
import type { CountyContext } from './county-context.ts';
import { F, changeFields, type PersonRecord } from './person-record.ts';
import { createPerson } from './population.ts';
import type { Rng } from './random.ts';
import type { RejectReason } from '../contract/reject-reasons.ts';
import type { DirtyRow } from './truth.ts';
import type { CsvWriter } from './csv-writer.ts';
import { mobilePhone } from './names.ts';

export const PERSONS_DEFECTS: readonly RejectReason[] = [
  'bad_check_character', 'sex_mismatch', 'birth_date_mismatch', 'duplicate_id', 'unknown_village', 'unknown_point',
  'under_16', 'future_date', 'missing_required', 'invalid_code',
];
export const CHANGES_DEFECTS: readonly RejectReason[] = [
  'bad_check_character', 'sex_mismatch', 'birth_date_mismatch', 'unknown_village', 'unknown_point', 'under_16',
  'future_date', 'missing_required', 'invalid_code', 'event_person_not_active', 'add_person_already_active', 'event_before_registration',
];
const PERSONS_REQUIRED_BLANKABLE = ['name', 'employment_status', 'presence', 'registered_on', 'review_status', 'poverty_alleviated'];
const CHANGES_REQUIRED_BLANKABLE = ['reason', 'review_status', 'recorded_on'];

function wrongCheck(id: string, rng: Rng): string {
  const right = idCheckCharacter(id.slice(0, 17));
  const options = '0123456789X'.split('').filter((c) => c !== right);
  return id.slice(0, 17) + options[rng.int(options.length)];
}

function randomVillage(ctx: CountyContext, rng: Rng): number {
  const c = ctx.profile.county;
  return c.villages[rng.cumulative(c.villageCum)];
}

function unknownVillage(ctx: CountyContext, rng: Rng, township: string): string {
  for (;;) {
    const code = `${township}${String(900 + rng.int(100))}`;
    if (!ctx.geo.tree.byCode.has(code)) return code;
  }
}

function unknownPoint(ctx: CountyContext, rng: Rng, township: string): string {
  for (;;) {
    const code = `CJ${township}${String(90 + rng.int(10))}`;
    if (!ctx.geo.pointByCode.has(code)) return code;
  }
}

/** Fake person registered `registeredDaysBefore` days before `day`. */
function fake(ctx: CountyContext, rng: Rng, day: number, birth?: number): PersonRecord {
  return createPerson(ctx, rng, 'fake', day, randomVillage(ctx, rng), birth).rec;
}

const PERSON_KEYS: readonly string[] = ['id_number', 'name', 'sex', 'birth_date', 'village_code', 'point_code', 'phone', 'education', 'skill_level',
  'poverty_alleviated', 'relocated', 'veteran', 'employment_status', 'presence', 'work_region_code', 'industry', 'employer', 'monthly_income',
  'training_wish', 'service_needs', 'registered_on', 'verified_on', 'review_status'];

export class DirtyPlanter {
  constructor(
    private readonly ctx: CountyContext,
    private readonly rng: Rng,
    private readonly rate: number,
    private readonly file: string,
    private readonly out: DirtyRow[],
  ) {}

  /** Before a clean persons row of a snapshot as of `fileDay`: maybe plant dirty rows. */
  beforePersonsRow(w: CsvWriter, fileDay: number): void {
    if (this.rate <= 0 || !this.rng.chance(this.rate)) return;
    const rng = this.rng;
    const reason = PERSONS_DEFECTS[rng.int(PERSONS_DEFECTS.length)];
    const day = fileDay - rng.between(30, 1500);
    let rec = fake(this.ctx, rng, day);
    let column: string | null = null;
    switch (reason) {
      case 'bad_check_character': rec[F.id] = wrongCheck(rec[F.id], rng); column = 'id_number'; break;
      case 'sex_mismatch': rec[F.sex] = rec[F.sex] === '男' ? '女' : '男'; column = 'sex'; break;
      case 'birth_date_mismatch': rec[F.birth] = isoOf(dayOfIso(rec[F.birth]) + rng.between(1, 300)); column = 'birth_date'; break;
      case 'duplicate_id': {
        // The same person registered twice: a second row with the same ID in another village of the county.
        const twin = rec.slice();
        let vi = randomVillage(this.ctx, rng);
        for (let k = 0; this.ctx.geo.villages[vi].code === rec[F.village]; k++) vi = this.ctx.profile.county.villages[k % this.ctx.profile.county.villages.length];
        twin[F.village] = this.ctx.geo.villages[vi].code;
        twin[F.point] = this.ctx.geo.points[this.ctx.geo.villages[vi].point].code;
        this.write(w, rec, reason, 'id_number');
        rec = twin;
        column = 'id_number';
        break;
      }
      case 'unknown_village': rec[F.village] = unknownVillage(this.ctx, rng, rec[F.village].slice(0, 9)); column = 'village_code'; break;
      case 'unknown_point': rec[F.point] = unknownPoint(this.ctx, rng, rec[F.village].slice(0, 9)); column = 'point_code'; break;
      case 'under_16': rec = fake(this.ctx, rng, Math.min(day, fileDay - 1), addYears(fileDay, -15) - rng.between(1, 300)); column = 'birth_date'; break;
      case 'future_date': rec[F.verified] = isoOf(fileDay + rng.between(1, 60)); column = 'verified_on'; break;
      case 'missing_required': column = rng.pick(PERSONS_REQUIRED_BLANKABLE); rec[PERSON_KEYS.indexOf(column)] = ''; break;
      case 'invalid_code': rec[F.status] = '60'; column = 'employment_status'; break;
    }
    this.write(w, rec, reason, column);
  }

  private write(w: CsvWriter, fields: readonly string[], reason: RejectReason, column: string | null): void {
    this.out.push({ file: this.file, row: w.nextRowNumber, column, reason });
    w.writeRow(fields);
  }

  /**
   * Before a clean row of a changes file recording days [from, to]: maybe plant a dirty
   * row. `stable` are persons active from before the base day through the last exported
   * day with no 新增 or 减少 (their base records).
   */
  beforeChangeRow(w: CsvWriter, from: number, to: number, stable: readonly PersonRecord[]): void {
    if (this.rate <= 0 || !this.rng.chance(this.rate)) return;
    const rng = this.rng;
    let reason = CHANGES_DEFECTS[rng.int(CHANGES_DEFECTS.length)];
    if ((reason === 'add_person_already_active' || reason === 'event_before_registration') && stable.length === 0) reason = 'event_person_not_active';
    const recorded = rng.between(from, to);
    const eventDay = Math.max(from, recorded - rng.between(0, 3));
    const addRow = (rec: PersonRecord, e: number, r: number) => changeFields('新增', rng.chance(0.5) ? '外地迁入' : '其他', isoOf(e), isoOf(r), rec, null);
    let fields: string[];
    let column: string | null = null;
    switch (reason) {
      case 'event_person_not_active': {
        const rec = fake(this.ctx, rng, eventDay);
        if (rng.chance(0.5)) fields = changeFields('减少', '户籍迁出', isoOf(eventDay), isoOf(recorded), rec, null);
        else {
          const after = rec.slice();
          after[F.status] = '40';
          after[F.verified] = isoOf(eventDay);
          after[F.income] = '0';
          const before = rec.slice();
          before[F.status] = '23';
          before[F.income] = '5000';
          fields = changeFields('状态变更', '就业变动', isoOf(eventDay), isoOf(recorded), after, before);
        }
        column = 'id_number';
        break;
      }
      case 'add_person_already_active': {
        const rec = stable[rng.int(stable.length)];
        fields = addRow(rec, eventDay, recorded);
        column = 'id_number';
        break;
      }
      case 'event_before_registration': {
        const rec = stable[rng.int(stable.length)];
        const registered = dayOfIso(rec[F.registered]);
        const e = registered - rng.between(1, 300);
        const after = rec.slice();
        after[F.phone] = mobilePhone(rng);
        after[F.verified] = isoOf(e);
        fields = changeFields('状态变更', '信息更正', isoOf(e), isoOf(recorded), after, rec);
        column = 'event_date';
        break;
      }
      case 'future_date': {
        const r = to + rng.between(1, 30);
        const rec = fake(this.ctx, rng, eventDay);
        fields = addRow(rec, eventDay, r);
        column = 'recorded_on';
        break;
      }
      case 'under_16': {
        const rec = fake(this.ctx, rng, eventDay, addYears(to, -15) - rng.between(1, 300));
        fields = addRow(rec, eventDay, recorded);
        column = 'birth_date';
        break;
      }
      default: {
        const rec = fake(this.ctx, rng, eventDay);
        switch (reason) {
          case 'bad_check_character': rec[F.id] = wrongCheck(rec[F.id], rng); column = 'id_number'; break;
          case 'sex_mismatch': rec[F.sex] = rec[F.sex] === '男' ? '女' : '男'; column = 'sex'; break;
          case 'birth_date_mismatch': rec[F.birth] = isoOf(dayOfIso(rec[F.birth]) + rng.between(1, 300)); column = 'birth_date'; break;
          case 'unknown_village': rec[F.village] = unknownVillage(this.ctx, rng, rec[F.village].slice(0, 9)); column = 'village_code'; break;
          case 'unknown_point': rec[F.point] = unknownPoint(this.ctx, rng, rec[F.village].slice(0, 9)); column = 'point_code'; break;
          case 'invalid_code': rec[F.status] = '60'; column = 'employment_status'; break;
        }
        fields = addRow(rec, eventDay, recorded);
        if (reason === 'missing_required') {
          column = rng.pick(CHANGES_REQUIRED_BLANKABLE);
          fields[column === 'reason' ? 4 : column === 'review_status' ? 6 : 2] = '';
        }
      }
    }
    this.write(w, fields, reason, column);
  }
}

function dayOfIso(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
}

