/**
 * Citizen ID numbers (GB 11643-1999): 6-digit region code, 8-digit birth date,
 * 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits of an ID number. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`idCheckCharacter: expected 17 digits, got ${JSON.stringify(first17)}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Normalises an ID number as written in a file: trimmed, lower-case x made upper-case. */
export function normaliseIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export type IdProblem = 'format' | 'check_character' | 'birth_date';

/** Checks shape, embedded birth date and check character; returns the first problem or undefined. */
export function idNumberProblem(id: string): IdProblem | undefined {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const birth = idBirthDate(id);
  const t = Date.parse(`${birth}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== birth) return 'birth_date';
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return 'check_character';
  return undefined;
}

export function isValidIdNumber(id: string): boolean {
  return idNumberProblem(id) === undefined;
}

/** Birth date embedded in digits 7-14, as YYYY-MM-DD (not validated). */
export function idBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Sex from the 17th digit: odd = 男, even = 女. */
export function idSex(id: string): '男' | '女' {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女';
}

/** Builds a valid ID number from region code, ISO birth date and a 3-digit sequence. */
export function makeIdNumber(region6: string, birthDate: string, sequence: number): string {
  const first17 = `${region6}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** Masks an ID number for display: 5101**********123X. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}
