/**
 * What a chart shares with its marks (axes, lines, bars, rules): its size and the x and
 * y scales with their ranges set to the plotting area. Marks read it with chartContext().
 */
import { getContext, setContext } from 'svelte';

/** The scale operations marks need (d3 linear, band, point and time scales all have them). */
export interface ChartScale {
  (value: never): number | undefined;
  domain(): unknown[];
  range(): number[];
  ticks?: (count?: number) => unknown[];
  bandwidth?: () => number;
  copy(): ChartScale;
}

export interface ChartContext {
  readonly width: number;
  readonly height: number;
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly margin: Margin;
  readonly x: ChartScale;
  readonly y: ChartScale;
}

export interface Margin {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

const KEY = Symbol('chart');

export function setChartContext(context: ChartContext): void {
  setContext(KEY, context);
}

export function chartContext(): ChartContext {
  const c = getContext<ChartContext | undefined>(KEY);
  if (!c) throw new Error('chart marks must be placed inside <Chart>');
  return c;
}

/** Applies a scale to a value of any type (d3 scale typings are per domain type). */
export function scaled(scale: ChartScale, value: unknown): number {
  return (scale as unknown as (v: unknown) => number | undefined)(value) ?? NaN;
}
