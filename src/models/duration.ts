/** ISO 8601 durations (`P1Y`, `PT6H`, `P1DT12H`, `PT30M`) and adding them to UTC dates. */
import { NunatakError } from '../core/errors.js';

/** A parsed duration. Years and months are calendar units; the rest are exact. */
export interface Duration {
  years: number;
  months: number;
  days: number;
  /** Hours + minutes + seconds, in seconds. */
  seconds: number;
  /** The original text, for messages and files. */
  iso: string;
}

const RE = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parse an ISO 8601 duration; `where` names the key for the error message. */
export function parseDuration(text: string, where = 'duration'): Duration {
  const m = RE.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    throw new NunatakError('CONFIG', `${where}: '${text}' is not an ISO 8601 duration`, { hint: "write e.g. 'PT6H', 'P1D', 'P1Y', 'P1DT12H'" });
  }
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const years = n(1);
  const months = n(2);
  if (!Number.isInteger(years) || !Number.isInteger(months)) {
    throw new NunatakError('CONFIG', `${where}: '${text}' has fractional years or months`, { hint: 'use whole calendar units, or days/hours' });
  }
  return { years, months, days: n(3) * 7 + n(4), seconds: n(5) * 3600 + n(6) * 60 + n(7), iso: text };
}

/** True when the duration is zero. */
export function isZero(d: Duration): boolean {
  return d.years === 0 && d.months === 0 && d.days === 0 && d.seconds === 0;
}

/** `t + k·d` (k may be negative): calendar months first (UTC fields), then exact days and seconds. */
export function addDuration(t: Date, d: Duration, k = 1): Date {
  const r = new Date(t.getTime());
  const months = (d.years * 12 + d.months) * k;
  if (months !== 0) r.setUTCMonth(r.getUTCMonth() + months);
  return new Date(r.getTime() + (d.days * 86400 + d.seconds) * 1000 * k);
}

/** Approximate length in hours (365.25-day years, 30.4375-day months), for lead-time coordinates. */
export function durationHours(d: Duration): number {
  return d.years * 8766 + d.months * 730.5 + d.days * 24 + d.seconds / 3600;
}

/**
 * Length in hours in a CF calendar where it is exact: in 360_day a year is
 * 360 days and a month 30; in noleap / 365_day (all_leap / 366_day) a year is
 * 365 (366) days. So init + lead_time lands on the source's own dates in the
 * forecast file. Other calendars (and noleap months): `durationHours`.
 */
export function calendarHours(d: Duration, calendar: string | undefined): number {
  const exact = d.days * 24 + d.seconds / 3600;
  const cal = (calendar ?? '').toLowerCase();
  if (cal === '360_day') return d.years * 8640 + d.months * 720 + exact;
  if ((cal === 'noleap' || cal === '365_day') && d.months === 0) return d.years * 8760 + exact;
  if ((cal === 'all_leap' || cal === '366_day') && d.months === 0) return d.years * 8784 + exact;
  return durationHours(d);
}
