import { loadavg } from 'node:os';

/** The 1, 5 and 15 min load averages as "a b c" (2 decimals), printed beside each benchmark table. */
export function loadAverage(): string {
  return loadavg().map((x) => x.toFixed(2)).join(' ');
}
