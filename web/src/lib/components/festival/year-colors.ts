/** Line colours of the festival years (Tableau 10, distinguishable and dark enough on white). */
const COLORS = ['#1f5fa0', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#5c940d'];

export function yearColor(year: number, years: readonly number[]): string {
  const i = [...years].sort((a, b) => a - b).indexOf(year);
  return COLORS[(i < 0 ? 0 : i) % COLORS.length];
}
