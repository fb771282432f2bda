import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NunatakError, didYouMean, editDistance, isNunatakError, suggest } from '../../src/core/errors.ts';

test('editDistance matches hand-counted Levenshtein distances', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('same', 'same'), 0);
});

test('suggest finds close names and nothing for unrelated ones', () => {
  assert.deepEqual(suggest('iceflw', ['iceflow', 'thk', 'time']), ['iceflow']);
  assert.deepEqual(suggest('zzzzzz', ['iceflow', 'thk']), []);
  assert.match(didYouMean('smb_simpel', ['smb_simple', 'iceflow']), /did you mean 'smb_simple'/);
  assert.equal(didYouMean('qqqq', ['iceflow']), '');
});

test('NunatakError carries code and hint', () => {
  const e = new NunatakError('CONFIG', 'unknown key a.b', { hint: 'check spelling' });
  assert.ok(isNunatakError(e, 'CONFIG'));
  assert.equal(isNunatakError(e as unknown, 'IO'), false);
  assert.equal(e.describe(), 'unknown key a.b\n  hint: check spelling');
});
