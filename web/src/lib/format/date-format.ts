/** Dates and times shown in Asia/Shanghai, whatever the browser's zone. */
import type { Lang } from '../i18n/lang.js';

const TZ = 'Asia/Shanghai';

/** An instant (ISO string) as local date and time, e.g. 2026-03-31 02:14. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
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
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(now);
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
}
