import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coerceValue, type ParamSpec } from '../../../src/core/config/index.js';
import { NunatakError } from '../../../src/core/errors.js';

const spec = (s: Partial<ParamSpec>): ParamSpec => ({ kind: 'param', type: 'number', units: 'm', help: 'h', default: null, ...s });
const ctx = { where: 'here', key: 'k' };

test('values are coerced to their declared type', () => {
  assert.equal(coerceValue(spec({ type: 'number' }), 2.5, ctx), 2.5);
  assert.equal(coerceValue(spec({ type: 'integer' }), 4, ctx), 4);
  assert.equal(coerceValue(spec({ type: 'boolean' }), false, ctx), false);
  assert.equal(coerceValue(spec({ type: 'string' }), 2100, ctx), '2100');
  assert.equal(coerceValue(spec({ type: 'enum', choices: ['a', 'b'] }), 'b', ctx), 'b');
  assert.deepEqual(coerceValue(spec({ type: 'list', items: 'number' }), [1, 2.5], ctx), [1, 2.5]);
  assert.deepEqual(coerceValue(spec({ type: 'list', items: 'string' }), ['a', 1], ctx), ['a', '1']);
  assert.equal(coerceValue(spec({ type: 'string', nullable: true }), null, ctx), null);
});

test('type errors name place, key, value and expected type with units', () => {
  const cases: Array<[Partial<ParamSpec>, unknown, RegExp]> = [
    [{ type: 'number' }, 'abc', /here: k = 'abc' is not a valid number[\s\S]*expects a number in m/],
    [{ type: 'number' }, Infinity, /is not a valid number/],
    [{ type: 'integer' }, 2.5, /k = 2.5 is not a valid integer/],
    [{ type: 'boolean' }, 'yes', /is not a valid boolean/],
    [{ type: 'enum', choices: ['superbee', 'minmod'] }, 'superbe', /not a valid enum \(superbee\|minmod\) — did you mean 'superbee'/],
    [{ type: 'enum', choices: ['superbee', 'minmod'] }, 'zzz', /\(choices: superbee, minmod\)/],
    [{ type: 'list', items: 'number' }, 3, /write a list as \[a, b\]/],
    [{ type: 'list', items: 'integer' }, [1, 'x'], /item 1 = "x" is not a integer/],
    [{ type: 'number' }, null, /null is not allowed/],
  ];
  for (const [s, v, re] of cases) {
    assert.throws(() => coerceValue(spec(s), v, ctx), (e: unknown) => e instanceof NunatakError && e.code === 'CONFIG' && re.test(e.describe()));
  }
});
