/**
 * The generator's geography and structural rules without generating persons: region
 * hierarchy counts, nominal populations, collection-point rules, ID uniqueness by
 * construction, the batch calendar.
 */
import { describe, expect, test } from 'vitest';
import { buildGeography, allocatePersons } from '../../../warehouse/generator/villages-and-points.ts';
import { IdAllocator, partnerCounties } from '../../../warehouse/generator/id-allocator.ts';
import { buildPeriod } from '../../../warehouse/generator/period.ts';
import { buildBatches } from '../../../warehouse/generator/output-layout.ts';
import { dayOf, isoOf } from '../../../warehouse/generator/day-numbers.ts';
import { NOMINAL_PROVINCE_PERSONS, OWN_POINT_THRESHOLD } from '../../../warehouse/generator/calibration.ts';
import { idBirthDate, idSex, isValidIdNumber } from '../../../warehouse/reference/id-number.ts';
import { springFestivalDate } from '../../../warehouse/reference/festival.ts';

const geo = buildGeography(1, dayOf('2023-01-01'));

describe('geography', () => {
  test('the real hierarchy: 21 cities, 183 counties, ~3,100 townships, ~34,000 villages', () => {
    expect(geo.tree.cities).toHaveLength(21);
    expect(geo.counties).toHaveLength(183);
    expect(geo.tree.townships.length).toBeGreaterThan(3000);
    expect(geo.villages.length).toBeGreaterThan(34000);
  });

  test('nominal populations total ~28 M; central Chengdu districts are very small', () => {
    const total = geo.villages.reduce((a, v) => a + v.nominal, 0);
    expect(Math.abs(total - NOMINAL_PROVINCE_PERSONS) / NOMINAL_PROVINCE_PERSONS).toBeLessThan(0.001);
    const byCode = geo.countyByCode;
    const mean = total / geo.counties.length;
    for (const c of ['510104', '510105', '510106', '510107', '510108']) expect(byCode.get(c)!.nominal).toBeLessThan(mean * 0.1);
    // Dazhou's Qu county (渠县) is far bigger than a Ganzi county.
    expect(byCode.get('511725')!.nominal).toBeGreaterThan(5 * byCode.get('513338')!.nominal);
  });

  test('points: every village in exactly one point; one township per point; villages ≥ 1,000 have their own point', () => {
    const count = new Map<number, number>();
    for (const p of geo.points) {
      for (const v of p.villages) {
        count.set(v, (count.get(v) ?? 0) + 1);
        expect(geo.villages[v].township).toBe(p.township);
        expect(geo.villages[v].point).toBe(p.index);
      }
      if (p.villages.length > 1) expect(p.villages.every((v) => geo.villages[v].nominal < OWN_POINT_THRESHOLD)).toBe(true);
      // A merged group stops growing once it reaches the threshold: without its last village it was below.
      const sum = p.villages.reduce((a, v) => a + geo.villages[v].nominal, 0);
      if (p.villages.length > 1) expect(sum - geo.villages[p.villages.at(-1)!].nominal).toBeLessThan(OWN_POINT_THRESHOLD);
    }
    expect(count.size).toBe(geo.villages.length);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    for (const v of geo.villages) if (v.nominal >= OWN_POINT_THRESHOLD) expect(geo.points[v.point].villages).toEqual([v.index]);
    expect(new Set(geo.points.map((p) => p.code)).size).toBe(geo.points.length);
  });

  test('the point structure is independent of --persons; persons are allocated exactly', () => {
    const again = buildGeography(1, dayOf('2023-01-01'));
    expect(again.points.map((p) => p.code)).toEqual(geo.points.map((p) => p.code));
    for (const n of [1000, 20_000, 300_000]) expect(allocatePersons(geo, n).reduce((a, b) => a + b, 0)).toBe(n);
    const other = buildGeography(2, dayOf('2023-01-01'));
    expect(other.points.map((p) => p.code)).not.toEqual(geo.points.map((p) => p.code));
  });
});

describe('ID numbers', () => {
  test('allocators of different counties never collide; IDs are valid with the right sex and birth date', () => {
    const partners = partnerCounties(geo.counties.map((c) => c.code));
    expect(new Set(partners.values()).size).toBe(183);
    const seen = new Set<string>();
    const birth = dayOf('1990-05-17');
    for (const c of geo.counties) {
      const a = new IdAllocator(c.code, partners.get(c.code)!);
      for (let k = 0; k < 40; k++) {
        for (const range of ['home', 'partner', 'fake'] as const) {
          const male = k % 2 === 0;
          const { id, birthDay } = a.allocate(range, birth, male);
          expect(isValidIdNumber(id)).toBe(true);
          expect(idSex(id)).toBe(male ? '男' : '女');
          expect(idBirthDate(id)).toBe(isoOf(birthDay));
          expect(id.slice(0, 6)).toBe(range === 'partner' ? partners.get(c.code) : c.code);
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
      }
    }
  });

  test('a full birth date moves to the next day instead of reusing a sequence', () => {
    const a = new IdAllocator('511702', '511703');
    const ids = new Set<string>();
    for (let k = 0; k < 60; k++) ids.add(a.allocate('fake', dayOf('2000-01-01'), true).id);
    expect(ids.size).toBe(60);
    expect([...ids].filter((id) => id.slice(6, 14) === '20000102')).toHaveLength(10);
  });
});

describe('batch calendar', () => {
  test('E is the day after --to; daily batches carry the monthly files on the 1st and re-send submissions on days 2-10', () => {
    const p = buildPeriod('2025-10', '2026-01', 12);
    expect(isoOf(p.baseDay)).toBe('2025-09-30');
    expect(isoOf(p.initialBatchDay)).toBe('2026-02-01');
    expect(p.snapshotDays.map(isoOf)).toEqual(['2025-09-30', '2026-01-31']);
    const b = buildBatches(p, false);
    expect(b.map((x) => x.folder)).toEqual(Array.from({ length: 13 }, (_, k) => isoOf(dayOf('2026-02-01') + k)));
    expect(b[0].submissions.map((s) => s.month % 12)).toEqual([9, 10, 11, 0]);
    expect(b[1].changes.name).toBe('changes_20260201.csv');
    expect(b[1].submissions).toHaveLength(1);
    expect(b[10].submissions).toHaveLength(0);
    const q = buildPeriod('2025-10', '2026-01', 29);
    expect(q.snapshotDays.map(isoOf)).toEqual(['2025-09-30', '2026-01-31', '2026-02-28']);
    expect(q.truthMonths).toHaveLength(5);
  });

  test('festivals come from date-chinese and cover the period', () => {
    const p = buildPeriod('2023-01', '2025-12', 0);
    expect(p.truthFestivals.map((f) => isoOf(f.day))).toEqual(['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17'].filter((d) => d <= '2026-02-14'));
    expect(p.festivals.some((f) => isoOf(f.day) === springFestivalDate(2024))).toBe(true);
  });
});
