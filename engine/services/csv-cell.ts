/**
 * One CSV cell (RFC 4180 quoting), with spreadsheet formula injection neutralised:
 * values starting with = + - @ are quoted so that they stay text.
 */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
