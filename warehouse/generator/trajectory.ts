/**
 * One person's life in the registry, day by day: status changes (a stationary chain,
 * see county-profiles.ts), Spring Festival moves, short returns home outside the
 * festival, information corrections, pension / death / moving out (and rarely coming
 * back), and the planted layoff and poverty shocks. Returns the events in event-date
 * order; each event carries the full record after it.
 *
 * Stopping at `end` only truncates: all random draws happen in time order, so a longer
 * simulation (more daily batches) extends the same history instead of changing it.
 */
import {
  BACKGROUND_RETURN_RATE, BACKGROUND_RETURN_SEASON, COMEBACK_SHARE, CORRECTION_RATE, DEATH_RATE_BY_AGE, FESTIVAL,
  MOVE_OUT_RATE, PENSION_AT_60_SHARE, RECORDING_LAG, STATUS_EXIT_RATES, STATUS_ORDER,
} from './calibration.ts';
import type { CountyContext } from './county-context.ts';
import { addYears, civilOf, isoOf, monthEnd, monthStart } from './day-numbers.ts';
import { planFestivalEpisode } from './festival-moves.ts';
import { mobilePhone } from './names.ts';
import { F, NO, YES, type EventType, type PersonRecord } from './person-record.ts';
import { ageYears, assignWork, drawNextStatus, drawStatus, isOutMigrant, isTransfer, type Person } from './population.ts';
import { cumulativeOf, type Rng } from './random.ts';
import type { ShockCounts } from './shocks.ts';
import type { Festival } from './period.ts';

export interface SimEvent {
  readonly day: number;
  /** Recorded day (assigned by assignRecordedDays). */
  rec: number;
  readonly type: EventType;
  readonly reason: string;
  /** The record after the event (for 减少: the record at removal). */
  readonly after: PersonRecord;
}

const INF = Number.POSITIVE_INFINITY;
const DAYS_PER_MONTH = 30.436875;
const STATUS_RATE = new Map<string, number>(STATUS_ORDER.map((s, i) => [s, STATUS_EXIT_RATES[i] / DAYS_PER_MONTH]));
const CORRECTION_PER_DAY = CORRECTION_RATE / DAYS_PER_MONTH;
const MAX_SEASON = Math.max(...BACKGROUND_RETURN_SEASON);
const BACKGROUND_PER_DAY = (BACKGROUND_RETURN_RATE * MAX_SEASON) / DAYS_PER_MONTH;

const enum StepKind { Presence, Work, Layoff, Depart }

interface Step {
  readonly day: number;
  readonly type: EventType;
  readonly reason: string;
  readonly kind: StepKind;
  /** Presence value (Presence), new status (Work), old status (Depart with a new job). */
  readonly value: string;
  readonly age: number;
  /** Work: force 在乡; Depart: new job; Layoff: training wish. */
  readonly flag: boolean;
}

function step(day: number, reason: string, kind: StepKind, value: string, age = 0, flag = false): Step {
  return { day, type: '状态变更', reason, kind, value, age, flag };
}

/**
 * Simulates persons one after another (one instance per county; no per-person closures,
 * which matters at 30 M persons).
 */
export class PersonSimulator {
  private ev: SimEvent[] = [];
  private rng!: Rng;
  private person!: Person;
  private rec!: PersonRecord;
  private t = 0;
  private end = 0;
  private frozen = false;
  private pension = 0;
  private exitDay = INF;
  private exitReason = '';
  private nextTrans = INF;
  private nextCorr = INF;
  private nextBg = INF;
  private pendingDepart = INF;
  private reEmigrate = INF;
  private reEmigrateStatus = '';
  private fi = 0;
  private layoffCheck = INF;
  private povertyCheck = INF;
  private readonly festivals: readonly Festival[];
  private readonly countyCode: string;

  constructor(private readonly ctx: CountyContext, private readonly counts: ShockCounts) {
    this.festivals = ctx.period.festivals;
    this.countyCode = ctx.profile.county.code;
  }

  private push(day: number, type: EventType, reason: string, after: PersonRecord): void {
    this.ev.push({ day, rec: day, type, reason, after });
  }

  private drawExit(from: number): void {
    const age = ageYears(this.person.birthDay, from);
    const death = from + 1 + Math.floor(this.rng.exp(DEATH_RATE_BY_AGE(age) / 365.2425));
    const move = from + 1 + Math.floor(this.rng.exp(MOVE_OUT_RATE(age) / 365.2425));
    this.exitDay = this.pension;
    this.exitReason = '享受养老保险待遇';
    if (death < this.exitDay) { this.exitDay = death; this.exitReason = '死亡'; }
    if (move < this.exitDay) { this.exitDay = move; this.exitReason = '户籍迁出'; }
  }

  private schedule(from: number): void {
    const rng = this.rng;
    const s = this.rec[F.status];
    const out = isOutMigrant(s);
    const away = this.rec[F.presence] === '在外';
    this.nextTrans = this.frozen ? INF : from + 1 + Math.floor(rng.exp(STATUS_RATE.get(s)!));
    this.nextCorr = from + 1 + Math.floor(rng.exp(CORRECTION_PER_DAY));
    this.nextBg = !this.frozen && out && away ? from + 1 + Math.floor(rng.exp(BACKGROUND_PER_DAY)) : INF;
    this.pendingDepart = !this.frozen && out && !away ? from + rng.between(1, 40) : INF;
  }

  private skipChecksUpTo(day: number): void {
    const fs = this.festivals;
    while (this.fi < fs.length && fs[this.fi].day - FESTIVAL.checkBefore <= day) this.fi++;
    if (this.layoffCheck <= day) this.layoffCheck = INF;
    if (this.povertyCheck <= day) this.povertyCheck = INF;
  }

  private planReEmigration(day: number, status: string): void {
    this.reEmigrate = day + this.rng.between(60, 270);
    this.reEmigrateStatus = status;
  }

  /** Applies planned steps in order; false when a step lies beyond the end (stop simulating). */
  private runSteps(steps: readonly Step[]): boolean {
    for (const s of steps) {
      if (s.day >= this.exitDay) break;
      if (s.day > this.end) return false;
      const r = this.rec.slice();
      switch (s.kind) {
        case StepKind.Presence:
          r[F.presence] = s.value;
          break;
        case StepKind.Work:
          assignWork(this.ctx, this.rng, r, s.value, s.age, false);
          if (s.flag) r[F.presence] = '在乡';
          break;
        case StepKind.Layoff:
          r[F.status] = '40';
          r[F.income] = '0';
          r[F.training] = s.flag ? YES : NO;
          r[F.needs] = '职业介绍;维权服务';
          break;
        case StepKind.Depart:
          if (s.flag) assignWork(this.ctx, this.rng, r, s.value, s.age, false);
          r[F.presence] = '在外';
          break;
      }
      r[F.verified] = isoOf(s.day);
      this.rec = r;
      this.push(s.day, s.type, s.reason, r);
      this.t = s.day;
    }
    this.schedule(this.t);
    this.skipChecksUpTo(this.t);
    return true;
  }

  simulate(rng: Rng, person: Person, end: number): SimEvent[] {
    const { ctx, counts } = this;
    const { plan } = ctx;
    const festivals = this.festivals;
    const birth = person.birthDay;
    this.ev = [];
    this.rng = rng;
    this.person = person;
    this.rec = person.rec;
    this.t = person.startDay;
    this.end = end;
    this.frozen = false;
    this.reEmigrate = INF;
    this.fi = 0;
    this.layoffCheck = ctx.isLayoffCounty ? monthStart(plan.layoff.month) : INF;
    this.povertyCheck = ctx.isPovertyShockCounty ? monthStart(plan.poverty.month) : INF;
    if (person.entryReason) this.push(this.t, '新增', person.entryReason, this.rec);

    const b60 = addYears(birth, 60);
    const b65 = addYears(birth, 65);
    let pension = rng.chance(PENSION_AT_60_SHARE) ? b60 + rng.between(0, 120) : rng.between(b60 + 121, b65 - 1);
    if (pension > b65 - 1) pension = b65 - 1;
    if (pension <= this.t) pension = rng.between(this.t + 1, Math.max(this.t + 1, b65 - 1));
    this.pension = pension;
    this.drawExit(this.t);
    this.schedule(this.t);
    this.skipChecksUpTo(this.t);

    for (;;) {
      const fc = this.fi < festivals.length ? festivals[this.fi].day - FESTIVAL.checkBefore : INF;
      let tn = this.exitDay, which = 0;
      if (this.nextTrans < tn) { tn = this.nextTrans; which = 1; }
      if (this.nextCorr < tn) { tn = this.nextCorr; which = 2; }
      if (this.nextBg < tn) { tn = this.nextBg; which = 3; }
      if (this.pendingDepart < tn) { tn = this.pendingDepart; which = 4; }
      if (fc < tn) { tn = fc; which = 5; }
      if (this.layoffCheck < tn) { tn = this.layoffCheck; which = 6; }
      if (this.povertyCheck < tn) { tn = this.povertyCheck; which = 7; }
      if (this.reEmigrate < tn) { tn = this.reEmigrate; which = 8; }
      if (tn > end) break;
      const t = (this.t = tn);
      const rec = this.rec;
      switch (which) {
        case 0: { // removal
          this.push(t, '减少', this.exitReason, rec);
          if (this.exitReason !== '户籍迁出' || !rng.chance(COMEBACK_SHARE)) return this.ev;
          const back = t + rng.between(120, 720);
          if (back > end || this.pension <= back || b65 <= back + 1) return this.ev;
          const age = ageYears(birth, back);
          const r2 = rec.slice();
          assignWork(ctx, rng, r2, drawStatus(ctx, rng, age, person.male, person.poverty), age, false);
          if (isOutMigrant(r2[F.status])) r2[F.presence] = '在外';
          r2[F.registered] = r2[F.verified] = isoOf(back);
          this.rec = r2;
          this.t = back;
          this.push(back, '新增', '其他', r2);
          this.reEmigrate = INF;
          this.drawExit(back);
          this.schedule(back);
          this.skipChecksUpTo(back);
          break;
        }
        case 1: { // status change
          const s1 = rec[F.status];
          const age = ageYears(birth, t);
          const s2 = drawNextStatus(ctx, rng, age, person.male, person.poverty);
          if (s2 === s1 && (s1 === '10' || s1 === '40' || s1 === '50')) {
            this.nextTrans = t + 1 + Math.floor(rng.exp(STATUS_RATE.get(s1)!));
            break;
          }
          const r2 = rec.slice();
          assignWork(ctx, rng, r2, s2, age, false);
          r2[F.verified] = isoOf(t);
          this.rec = r2;
          this.push(t, '状态变更', '就业变动', r2);
          this.reEmigrate = INF;
          this.schedule(t);
          break;
        }
        case 2: { // information correction
          const r2 = rec.slice();
          const k = rng.next();
          if (k < 0.45 || rec[F.phone] === '') r2[F.phone] = mobilePhone(rng);
          else if (k < 0.6 && rec[F.education] < '50') r2[F.education] = String(Number(rec[F.education]) + 10);
          else if (k < 0.85 && rec[F.skill] < '5') r2[F.skill] = String(Number(rec[F.skill]) + 1);
          else r2[F.training] = rec[F.training] === YES ? NO : YES;
          r2[F.verified] = isoOf(t);
          this.rec = r2;
          this.push(t, '状态变更', '信息更正', r2);
          this.nextCorr = t + 1 + Math.floor(rng.exp(CORRECTION_PER_DAY));
          break;
        }
        case 3: { // short return home outside the festival window
          let blocked = false;
          for (const f of festivals) if (t >= f.day - FESTIVAL.checkBefore - 50 && t <= f.day + 60) blocked = true;
          const month = civilOf(t)[1] - 1;
          if (blocked || !rng.chance(BACKGROUND_RETURN_SEASON[month] / MAX_SEASON)) {
            this.nextBg = t + 1 + Math.floor(rng.exp(BACKGROUND_PER_DAY));
            break;
          }
          if (rng.chance(0.9)) {
            if (!this.runSteps([step(t, '返乡', StepKind.Presence, '在乡'), step(t + rng.between(7, 45), '外出', StepKind.Presence, '在外')])) return this.ev;
          } else {
            const s = rng.chance(0.5) ? '21' : rng.chance(0.4) ? '10' : '40';
            const old = rec[F.status];
            const day = t + rng.between(5, 30);
            if (!this.runSteps([step(t, '返乡', StepKind.Presence, '在乡'), step(day, '就业变动', StepKind.Work, s, ageYears(birth, t), true)])) return this.ev;
            if (this.t === day && this.rec[F.status] === s) this.planReEmigration(day, old);
          }
          break;
        }
        case 4: // an out-migrant at home leaves again
          if (!this.runSteps([step(t, '外出', StepKind.Presence, '在外')])) return this.ev;
          break;
        case 5: { // Spring Festival
          const f = festivals[this.fi++];
          const status = rec[F.status];
          if (this.frozen || !isOutMigrant(status) || rec[F.presence] !== '在外') break;
          const lagged = ctx.isLagCity && plan.festivalLag !== null && plan.festivalLag.festival.day === f.day;
          const ep = planFestivalEpisode(rng, status, lagged);
          if (!ep) break;
          const age = ageYears(birth, f.day);
          const ret = step(f.day + ep.returnOffset, '返乡', StepKind.Presence, '在乡');
          const after = ep.outcome === 'stay'
            ? step(f.day + ep.afterOffset, '就业变动', StepKind.Work, ep.stayStatus!, age, true)
            : step(f.day + ep.afterOffset, '外出', StepKind.Depart, status, age, rng.chance(FESTIVAL.newDestinationShare));
          if (lagged && ret.day <= end && ret.day < this.exitDay) {
            counts.lagReturned++;
            if (ep.outcome === 'late') counts.lagDelayed++;
          }
          if (!this.runSteps([ret, after])) return this.ev;
          if (ep.outcome === 'stay' && this.t === after.day) this.planReEmigration(after.day, status);
          break;
        }
        case 6: { // planted mass layoff at one destination
          this.layoffCheck = INF;
          if (this.frozen || rec[F.status] !== '23' || rec[F.workRegion] !== plan.layoff.city || rec[F.presence] !== '在外') break;
          const code = this.countyCode;
          counts.layoffEligible.set(code, (counts.layoffEligible.get(code) ?? 0) + 1);
          if (!rng.chance(plan.layoff.share)) break;
          const ms = monthStart(plan.layoff.month), me = monthEnd(plan.layoff.month);
          const lossDay = ms + rng.between(2, me - ms - 8);
          const homeDay = lossDay + rng.between(0, 4);
          const training = rng.chance(0.7);
          if (lossDay <= end && lossDay < this.exitDay) counts.layoffAffected.set(code, (counts.layoffAffected.get(code) ?? 0) + 1);
          if (!this.runSteps([step(lossDay, '就业变动', StepKind.Layoff, '40', 0, training), step(homeDay, '返乡', StepKind.Presence, '在乡')])) return this.ev;
          this.nextTrans = this.t + 20 + Math.floor(rng.exp(STATUS_RATE.get('40')!));
          break;
        }
        case 7: { // planted fall of poverty-alleviated labour in work
          this.povertyCheck = INF;
          if (this.frozen || !person.poverty || !isTransfer(rec[F.status])) break;
          counts.povertyEligible++;
          if (!rng.chance(plan.poverty.share)) break;
          const u = rng.next();
          const s = u < 0.6 ? '10' : u < 0.9 ? '50' : '40';
          const day = t + rng.between(0, 20);
          if (day <= end && day < this.exitDay) counts.povertyAffected++;
          this.frozen = true;
          this.reEmigrate = INF;
          if (!this.runSteps([step(day, '就业变动', StepKind.Work, s, ageYears(birth, day), true)])) return this.ev;
          break;
        }
        case 8: { // back out to the old kind of work after a stay at home
          this.reEmigrate = INF;
          if (this.frozen || isOutMigrant(rec[F.status])) break;
          if (!this.runSteps([step(t, '就业变动', StepKind.Work, this.reEmigrateStatus, ageYears(birth, t), false)])) return this.ev;
          break;
        }
      }
    }
    return this.ev;
  }
}

const LAG_CUM = cumulativeOf(RECORDING_LAG.map((b) => b[2]));

/**
 * Recorded days: event day + a lag (most the same day or within days, 2% 10-40 days),
 * then made non-decreasing along the person's events (a later event is never recorded
 * before an earlier one: every recorded prefix is a real past state), and events up to
 * the base day are recorded by the base day (the base snapshot is the state then).
 */
export function assignRecordedDays(ev: SimEvent[], rng: Rng, baseDay: number): void {
  for (const e of ev) {
    const b = RECORDING_LAG[rng.cumulative(LAG_CUM)];
    e.rec = e.day + rng.between(b[0], b[1]);
  }
  for (let i = ev.length - 2; i >= 0; i--) if (ev[i].rec > ev[i + 1].rec) ev[i].rec = ev[i + 1].rec;
  for (const e of ev) if (e.day <= baseDay && e.rec > baseDay) e.rec = baseDay;
}
