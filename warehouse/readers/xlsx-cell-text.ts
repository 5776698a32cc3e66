/**
 * The text of an XLSX cell as exceljs's streaming reader gives it: strings and rich
 * text as written, numbers in plain decimal notation (never an exponent), dates as
 * YYYY-MM-DD (with the time when it is not midnight), booleans as true/false, formula
 * cells by their cached result, errors as their code (#N/A …).
 */
export function xlsxCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => (r.text === undefined || r.text === null ? '' : String(r.text))).join('');
    if ('formula' in v || 'sharedFormula' in v) return xlsxCellText(v.result);
    if ('error' in v) return String(v.error);
    if ('text' in v) return xlsxCellText(v.text);
    if ('sharedString' in v) throw new Error(`shared string ${String(v.sharedString)} referenced but the workbook has no shared strings`);
  }
  return String(value);
}

/** A number in plain decimal notation: 5.1e+17 → "510000000000000000", 1e-7 → "0.0000001". */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = lead + frac;
  if (exp >= 0) {
    return sign + (exp >= frac.length ? digits + '0'.repeat(exp - frac.length) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`);
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? day : `${day} ${time}`;
}
