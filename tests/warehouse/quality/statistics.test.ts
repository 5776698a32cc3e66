/**
 * The sampling statistics against published values: normal quantiles, Cochran's sample
 * size with finite-population correction, Wilson intervals, proportional allocation.
 */
import { describe, expect, test } from 'vitest';
import { normalQuantile, zForConfidence } from '../../../warehouse/quality/normal-quantile.ts';
import { sampleSize } from '../../../warehouse/quality/sample-size.ts';
import { wilsonInterval } from '../../../warehouse/quality/wilson-interval.ts';
import { proportionalAllocation } from '../../../warehouse/quality/proportional-allocation.ts';

describe('normal quantile', () => {
  test('matches tabulated values', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(zForConfidence(0.99)).toBeCloseTo(2.5758293035489, 12);
    expect(zForConfidence(0.9)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 11);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(-normalQuantile(0.025), 12);
  });
  test('rejects p outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });
});

describe('sample size', () => {
  test("Cochran's n0 = 385 for ±5 % at 95 % with p = 0.5 in a large population", () => {
    expect(sampleSize({ populationSize: 10_000_000, marginOfError: 0.05, confidence: 0.95 })).toBe(385);
  });
  test('finite-population correction: N = 1,000 → 278, N = 500 → 218, N = 100 → 80', () => {
    // n = n0 / (1 + (n0 − 1)/N) with n0 = 384.146
    expect(sampleSize({ populationSize: 1000, marginOfError: 0.05, confidence: 0.95 })).toBe(278);
    expect(sampleSize({ populationSize: 500, marginOfError: 0.05, confidence: 0.95 })).toBe(218);
    expect(sampleSize({ populationSize: 100, marginOfError: 0.05, confidence: 0.95 })).toBe(80);
  });
  test('expected proportion and confidence change the size; never more than N', () => {
    expect(sampleSize({ populationSize: 1e7, marginOfError: 0.03, confidence: 0.95, expectedProportion: 0.9 })).toBe(385); // 1.96²·0.09/0.0009 = 384.1
    expect(sampleSize({ populationSize: 1e7, marginOfError: 0.05, confidence: 0.99 })).toBe(664);
    expect(sampleSize({ populationSize: 5, marginOfError: 0.01, confidence: 0.99 })).toBe(5);
    expect(sampleSize({ populationSize: 0, marginOfError: 0.05, confidence: 0.95 })).toBe(0);
  });
  test('bad options are refused', () => {
    expect(() => sampleSize({ populationSize: 10, marginOfError: 0, confidence: 0.95 })).toThrow(/margin/);
    expect(() => sampleSize({ populationSize: -1, marginOfError: 0.05, confidence: 0.95 })).toThrow(/population/);
  });
});

describe('Wilson interval', () => {
  test('matches the textbook example 81/263 at 95 % (0.2553, 0.3662)', () => {
    const w = wilsonInterval(81, 263, 0.95)!;
    expect(w.estimate).toBeCloseTo(0.30798, 5);
    expect(w.lower).toBeCloseTo(0.2553, 4);
    expect(w.upper).toBeCloseTo(0.3662, 4);
  });
  test('all successes keep an upper bound of 1 and a lower bound below 1', () => {
    const w = wilsonInterval(20, 20, 0.95)!;
    expect(w.upper).toBe(1);
    expect(w.lower).toBeCloseTo(0.8389, 4);
  });
  test('the finite-population correction narrows the interval; n = N collapses it', () => {
    const inf = wilsonInterval(180, 200, 0.95)!;
    const fin = wilsonInterval(180, 200, 0.95, 400)!;
    expect(fin.upper - fin.lower).toBeLessThan(inf.upper - inf.lower);
    expect(wilsonInterval(180, 200, 0.95, 200)).toEqual({ estimate: 0.9, lower: 0.9, upper: 0.9, confidence: 0.95 });
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
  });
});

describe('proportional allocation', () => {
  test('sums to the total, proportional within one unit, largest remainders first', () => {
    expect(proportionalAllocation(10, [50, 30, 20])).toEqual([5, 3, 2]);
    // exact shares 3.33, 3.33, 3.33 → the first stratum takes the extra unit
    expect(proportionalAllocation(10, [7, 7, 7])).toEqual([4, 3, 3]);
    // exact shares 0.5, 2.9, 6.6 → floors 0, 2, 6 and remainders .5 .9 .6 → 1 to the 2nd, then 1 to the 3rd
    expect(proportionalAllocation(10, [5, 29, 66])).toEqual([0, 3, 7]);
    const cases: [number, number[]][] = [[37, [3, 120, 55, 1, 0, 9]], [0, [4, 4]], [12, [12]]];
    for (const [n, sizes] of cases) {
      const a = proportionalAllocation(n, sizes);
      expect(a.reduce((x, y) => x + y, 0)).toBe(n);
      const N = sizes.reduce((x: number, y: number) => x + y, 0);
      a.forEach((k, i) => expect(Math.abs(k - (n * sizes[i]) / N)).toBeLessThan(1));
    }
  });
  test('a sample larger than the population is refused', () => {
    expect(() => proportionalAllocation(10, [3, 3, 3])).toThrow(RangeError);
  });
});
