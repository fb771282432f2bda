/**
 * CF time decoding: numbers with units "<unit> since <reference date>" and a
 * calendar → calendar dates. Calendars: standard/gregorian (Julian before
 * 1582-10-15, Gregorian after, like cftime), proleptic_gregorian,
 * noleap/365_day, all_leap/366_day, 360_day, julian. Units: seconds, minutes,
 * hours, days, weeks, common_years (365 days); "months"/"years" follow UDUNITS (1 year = 365.242198781
 * days, 1 month = year / 12), except in 360_day where a month is 30 days and a
 * year 360 days.
 */
import { NunatakError } from '../../core/errors.js';

export type Calendar = 'standard' | 'proleptic_gregorian' | 'noleap' | 'all_leap' | '360_day' | 'julian';

/** A date in a CF calendar (which may have no JavaScript Date equivalent, e.g. 360_day). */
export interface CfDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Seconds including the fraction. */
  second: number;
  calendar: Calendar;
}

const CAL_ALIASES: Record<string, Calendar> = {
  standard: 'standard',
  gregorian: 'standard',
  proleptic_gregorian: 'proleptic_gregorian',
  noleap: 'noleap',
  '365_day': 'noleap',
  all_leap: 'all_leap',
  '366_day': 'all_leap',
  '360_day': '360_day',
  julian: 'julian',
};

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  week: 604800, weeks: 604800,
  // UDUNITS common_year: 365 days in any calendar (cftime accepts it with noleap / 365_day, where 'years' fails).
  common_year: 365 * 86400, common_years: 365 * 86400,
};
const UDUNITS_YEAR_DAYS = 365.242198781;

export function parseCalendar(name: string | undefined, where = 'time'): Calendar {
  const c = CAL_ALIASES[(name ?? 'standard').trim().toLowerCase()];
  if (!c) {
    throw new NunatakError('INPUT', `${where}: unknown calendar '${name}'`, {
      hint: `expected one of ${Object.keys(CAL_ALIASES).join(', ')}`,
    });
  }
  return c;
}

export interface TimeUnits {
  /** Seconds per unit in this calendar. */
  seconds: number;
  reference: CfDate;
  calendar: Calendar;
}

/** Parse "days since 1850-01-01 00:00:00" (optionally with 'T' and a 'Z' / +00:00 zone). */
export function parseTimeUnits(units: string, calendarName?: string, where = 'time'): TimeUnits {
  const calendar = parseCalendar(calendarName, where);
  const m = /^\s*(\w+)\s+since\s+([-+]?\d{1,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i.exec(
    units,
  );
  if (!m) {
    throw new NunatakError('INPUT', `${where}: time units '${units}' are not '<unit> since <date>'`, {
      hint: "expected e.g. 'days since 2000-01-01' or 'hours since 1979-01-01 00:00:00'",
    });
  }
  const unit = m[1].toLowerCase();
  let seconds = UNIT_SECONDS[unit];
  if (seconds === undefined) {
    const year = calendar === '360_day' ? 360 : calendar === 'noleap' ? 365 : calendar === 'all_leap' ? 366 : UDUNITS_YEAR_DAYS;
    if (/^(years?|yr|a)$/.test(unit)) seconds = year * 86400;
    else if (/^months?$/.test(unit)) seconds = (year / 12) * 86400;
    else throw new NunatakError('INPUT', `${where}: unknown time unit '${m[1]}' in '${units}'`, { hint: 'use seconds, minutes, hours, days, weeks, months or years' });
  }
  let tz = 0;
  if (m[8] && !/^(z|utc)$/i.test(m[8])) {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(m[8])!;
    tz = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3] ?? 0) * 60);
  }
  const ref: CfDate = {
    year: Number(m[2]),
    month: Number(m[3]),
    day: Number(m[4]),
    hour: Number(m[5] ?? 0),
    minute: Number(m[6] ?? 0),
    second: Number(m[7] ?? 0),
    calendar,
  };
  checkDate(ref, where);
  // Shift a zoned reference to UTC.
  const reference = tz ? addSeconds(ref, -tz) : ref;
  return { seconds, reference, calendar };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const gregLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const julLeap = (y: number) => y % 4 === 0;

function monthLength(cal: Calendar, y: number, mo: number, gregorian: boolean): number {
  if (cal === '360_day') return 30;
  if (mo !== 2) return MONTH_DAYS[mo - 1];
  if (cal === 'noleap') return 28;
  if (cal === 'all_leap') return 29;
  return (gregorian ? gregLeap(y) : julLeap(y)) ? 29 : 28;
}

function checkDate(d: CfDate, where: string): void {
  const greg = d.calendar === 'proleptic_gregorian' || (d.calendar === 'standard' && !beforeGregorianSwitch(d));
  const ok =
    d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= monthLength(d.calendar, d.year, d.month, greg) &&
    d.hour < 24 && d.minute < 60 && d.second < 61;
  if (!ok) throw new NunatakError('INPUT', `${where}: reference date ${formatCfDate(d)} does not exist in the ${d.calendar} calendar`);
  if (d.calendar === 'standard' && d.year === 1582 && d.month === 10 && d.day > 4 && d.day < 15) {
    throw new NunatakError('INPUT', `${where}: 1582-10-05..14 do not exist in the standard calendar`);
  }
}

const beforeGregorianSwitch = (d: { year: number; month: number; day: number }) =>
  d.year < 1582 || (d.year === 1582 && (d.month < 10 || (d.month === 10 && d.day < 15)));

/** Day number of a date in a calendar (an arbitrary but consistent origin per calendar). */
function dayNumber(cal: Calendar, y: number, m: number, d: number): number {
  if (cal === '360_day') return y * 360 + (m - 1) * 30 + (d - 1);
  if (cal === 'noleap' || cal === 'all_leap') {
    const len = cal === 'noleap' ? 365 : 366;
    let n = y * len;
    for (let k = 1; k < m; k++) n += monthLength(cal, y, k, true);
    return n + d - 1;
  }
  // Julian Day Number (Fliegel & Van Flandern style), Gregorian or Julian rules.
  const greg = cal === 'proleptic_gregorian' || (cal === 'standard' && !beforeGregorianSwitch({ year: y, month: m, day: d }));
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  const base = d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4);
  return greg ? base - Math.floor(yy / 100) + Math.floor(yy / 400) - 32045 : base - 32083;
}

function fromDayNumber(cal: Calendar, n: number): { year: number; month: number; day: number } {
  if (cal === '360_day') {
    const year = Math.floor(n / 360);
    const r = n - year * 360;
    return { year, month: Math.floor(r / 30) + 1, day: (r % 30) + 1 };
  }
  if (cal === 'noleap' || cal === 'all_leap') {
    const len = cal === 'noleap' ? 365 : 366;
    const year = Math.floor(n / len);
    let r = n - year * len;
    let month = 1;
    while (r >= monthLength(cal, year, month, true)) r -= monthLength(cal, year, month++, true);
    return { year, month, day: r + 1 };
  }
  // Inverse JDN: Gregorian from 2299161 (1582-10-15) in 'standard', always in proleptic.
  const greg = cal === 'proleptic_gregorian' || (cal === 'standard' && n >= 2299161);
  let c: number;
  let dd: number;
  if (greg) {
    const a = n + 32044;
    const b = Math.floor((4 * a + 3) / 146097);
    c = a - Math.floor((146097 * b) / 4);
    dd = Math.floor((4 * c + 3) / 1461);
    const e = c - Math.floor((1461 * dd) / 4);
    const m = Math.floor((5 * e + 2) / 153);
    return { day: e - Math.floor((153 * m + 2) / 5) + 1, month: m + 3 - 12 * Math.floor(m / 10), year: 100 * b + dd - 4800 + Math.floor(m / 10) };
  }
  c = n + 32082;
  dd = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * dd) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return { day: e - Math.floor((153 * m + 2) / 5) + 1, month: m + 3 - 12 * Math.floor(m / 10), year: dd - 4800 + Math.floor(m / 10) };
}

function addSeconds(ref: CfDate, secs: number): CfDate {
  const cal = ref.calendar;
  const refSec = ref.hour * 3600 + ref.minute * 60 + ref.second;
  // Split into whole days + seconds of day, rounding to the microsecond against float noise.
  const total = Math.round((refSec + secs) * 1e6) / 1e6;
  const days = Math.floor(total / 86400);
  let sod = total - days * 86400;
  sod = Math.round(sod * 1e6) / 1e6;
  const ymd = fromDayNumber(cal, dayNumber(cal, ref.year, ref.month, ref.day) + days);
  const hour = Math.floor(sod / 3600);
  const minute = Math.floor((sod - hour * 3600) / 60);
  const second = Math.round((sod - hour * 3600 - minute * 60) * 1e6) / 1e6;
  return { ...ymd, hour, minute, second, calendar: cal };
}

/** Decode CF time values (NaN stays NaN → undefined) to calendar dates. */
export function decodeTimes(values: ArrayLike<number>, units: string, calendar?: string, where = 'time'): Array<CfDate | undefined> {
  const u = parseTimeUnits(units, calendar, where);
  return Array.from(values, (v) => (Number.isFinite(v) ? addSeconds(u.reference, v * u.seconds) : undefined));
}

/** Encode a calendar date as a number in `units` (inverse of decodeTimes). */
export function encodeTime(date: Omit<CfDate, 'calendar'>, units: string, calendar?: string): number {
  const u = parseTimeUnits(units, calendar);
  const r = u.reference;
  const days = dayNumber(u.calendar, date.year, date.month, date.day) - dayNumber(u.calendar, r.year, r.month, r.day);
  const secs = days * 86400 + (date.hour * 3600 + date.minute * 60 + date.second) - (r.hour * 3600 + r.minute * 60 + r.second);
  return secs / u.seconds;
}

/** A JavaScript Date (UTC) for standard / proleptic_gregorian dates; throws for other calendars. */
export function toJsDate(d: CfDate): Date {
  if (d.calendar !== 'standard' && d.calendar !== 'proleptic_gregorian') {
    throw new NunatakError('INPUT', `date ${formatCfDate(d)} is in the ${d.calendar} calendar, which JavaScript Date cannot represent`);
  }
  if (d.calendar === 'standard' && beforeGregorianSwitch(d)) {
    throw new NunatakError('INPUT', `date ${formatCfDate(d)} is a Julian-calendar date; JavaScript Date is proleptic Gregorian`);
  }
  const dt = new Date(Date.UTC(2000, d.month - 1, d.day, d.hour, d.minute, 0, 0));
  dt.setUTCFullYear(d.year);
  return new Date(dt.getTime() + d.second * 1000);
}

/** "YYYY-MM-DD hh:mm:ss" (fractional seconds shown only when present). */
export function formatCfDate(d: Omit<CfDate, 'calendar'>): string {
  const p = (x: number, n = 2) => String(x).padStart(n, '0');
  const s = Number.isInteger(d.second) ? p(d.second) : d.second.toFixed(6).padStart(9, '0').replace(/0+$/, '');
  return `${d.year < 0 ? '-' : ''}${p(Math.abs(d.year), 4)}-${p(d.month)}-${p(d.day)} ${p(d.hour)}:${p(d.minute)}:${s}`;
}
