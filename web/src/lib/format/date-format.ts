/** Dates and times shown in Asia/Shanghai, whatever the browser's zone. */
import type { Lang } from '../i18n/lang.js';

/**
 * Asia/Shanghai is UTC+8 all year (no daylight saving since 1991), so local dates and times are
 * computed by shifting the instant; an Intl.DateTimeFormat with a time zone costs tens of
 * milliseconds to create on a slow machine, and the freshness banner is on every page.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** 'YYYY-MM-DDTHH:mm' of an instant in Shanghai. */
function shanghai(d: Date): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** An instant (ISO string) as local date and time in Shanghai: 2026-03-31 02:14 (both languages). */
export function formatDateTime(iso: string | null | undefined, _lang: Lang): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return shanghai(d).replace('T', ' ');
}

/** A calendar date 'YYYY-MM-DD' shown as is in English, as 2026年3月31日 in Chinese. */
export function formatDay(day: string | null | undefined, lang: Lang): string {
  if (!day) return '–';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m || lang === 'en') return day;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Whole days between a calendar date and today in Shanghai. */
export function daysSince(day: string, now: Date = new Date()): number {
  const today = shanghai(now).slice(0, 10);
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
}
