/**
 * Dates in exported files and their names, in one time zone: Asia/Tokyo unless `TZ` names another
 * (config.timeZone). A file named on the UTC date while its rows are in Japan time was off by a day
 * every morning before 9:00.
 */

/** The zone used when `TZ` is unset or not a zone the runtime knows. */
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

/** Whether the runtime's time-zone data knows this name (IANA zone such as Asia/Tokyo or UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function parts(ms: number, timeZone: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** 「2026-12-01」: the calendar date in the zone (for file names). */
export function localDate(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** 「2026-12-01 09:05:03」: date and time in the zone (for cells; sorts as text, Excel reads it). */
export function localDateTime(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** A file name with the date of `ms` in the zone: `providers-2026-12-01.csv`. */
export function datedFileName(prefix: string, ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  return `${prefix}-${localDate(ms, timeZone)}.csv`;
}
