/** The overview's key figures (issue 6): labour force, employed, transfer, out-migrant, unemployed, rate, poverty-alleviated in work. */
export const KPI_METRICS = [
  'labour_force',
  'employed',
  'transfer_employed',
  'out_migrant_in_province',
  'out_migrant_out_province',
  'unemployed',
  'unemployment_rate',
  'poverty_employed',
] as const;
