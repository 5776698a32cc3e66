/**
 * The choropleth's colour classes: the value range cut into five equal classes
 * (d3 scaleQuantize) coloured with ColorBrewer's sequential Blues; regions without a
 * value are grey. Text on the two darkest classes is white for contrast.
 */
import { scaleQuantize } from 'd3-scale';

export const CLASS_COLORS = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const;
export const NO_VALUE_COLOR = '#d9d9d9';

export interface ColorClasses {
  color(value: number | null | undefined): string;
  /** [from, to, colour] of each class, lowest first. */
  readonly classes: readonly (readonly [number, number, string])[];
}

export function colorClasses(values: readonly (number | null | undefined)[]): ColorClasses {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (!finite.length) return { color: () => NO_VALUE_COLOR, classes: [] };
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo === hi) return { color: (v) => (typeof v === 'number' && Number.isFinite(v) ? CLASS_COLORS[0] : NO_VALUE_COLOR), classes: [[lo, hi, CLASS_COLORS[0]]] };
  const scale = scaleQuantize<string>().domain([lo, hi]).range(CLASS_COLORS);
  const classes = CLASS_COLORS.map((c) => {
    const [a, b] = scale.invertExtent(c);
    return [a, b, c] as const;
  });
  return {
    color: (v) => (typeof v === 'number' && Number.isFinite(v) ? scale(v) : NO_VALUE_COLOR),
    classes,
  };
}
