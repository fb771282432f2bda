/**
 * A JavaScript Date labelling a CF date by its calendar fields (year … second),
 * whatever the calendar: models index data by these labels (a 360_day
 * "2041-02-30" has no Gregorian twin, so labels, not instants, are compared).
 * Years 0–99 stay years 0–99 (Date.UTC would map them to 1900–1999).
 */
import type { CfDate } from '../io/netcdf/index.js';

export function labelDate(d: CfDate): Date {
  const dt = new Date(Date.UTC(2000, d.month - 1, d.day, d.hour, d.minute, Math.floor(d.second), Math.round((d.second % 1) * 1000)));
  dt.setUTCFullYear(d.year);
  return dt;
}
