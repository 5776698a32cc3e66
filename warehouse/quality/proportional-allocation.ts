/**
 * Proportional allocation of a sample of n over strata of sizes N_h (largest-remainder
 * rounding): n_h = floor(n N_h / N), then the units left over go to the strata with
 * the largest fractional parts (ties: the earlier stratum in the given order, which
 * callers make deterministic by sorting by code). Never more than N_h in a stratum.
 */
export function proportionalAllocation(total: number, sizes: readonly number[]): number[] {
  const N = sizes.reduce((a, b) => a + b, 0);
  if (!(Number.isInteger(total) && total >= 0 && total <= N)) throw new RangeError(`proportionalAllocation: sample ${total} must be an integer in 0..${N}`);
  if (N === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (total * s) / N);
  const out = exact.map((x) => Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if (out[i] < sizes[i]) {
      out[i]++;
      left--;
    }
  }
  return out;
}
