import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelDate } from '../../src/models/label-date.js';

test('labelDate keeps years 0–99 (a sim output counts years since 0000-01-01) and 360_day fields', () => {
  const d = labelDate({ year: 50, month: 1, day: 1, hour: 0, minute: 0, second: 0, calendar: '360_day' } as never);
  assert.equal(d.getUTCFullYear(), 50);
  assert.equal(d.toISOString(), '0050-01-01T00:00:00.000Z');
  const e = labelDate({ year: 2041, month: 6, day: 1, hour: 12, minute: 30, second: 1.5, calendar: 'standard' } as never);
  assert.equal(e.toISOString(), '2041-06-01T12:30:01.500Z');
});
