/**
 * Explorer filters in the URL: `filters=sex:男|女;age_band:25-34` (dimension, then its
 * accepted values). Dimension ids and codes contain none of ':', '|', ';'.
 */
export type ExploreFilters = Readonly<Record<string, readonly string[]>>;

export function parseFilters(text: string | null): ExploreFilters {
  const out: Record<string, string[]> = {};
  for (const part of (text ?? '').split(';')) {
    const i = part.indexOf(':');
    if (i <= 0) continue;
    const values = part
      .slice(i + 1)
      .split('|')
      .filter(Boolean);
    if (values.length) out[part.slice(0, i)] = values;
  }
  return out;
}

export function formatFilters(filters: ExploreFilters): string | null {
  const parts = Object.entries(filters)
    .filter(([, v]) => v.length > 0)
    .map(([d, v]) => `${d}:${v.join('|')}`);
  return parts.length ? parts.join(';') : null;
}
