// Rewrites the module reference in docs/sim.md from the built-in modules' YAML defaults.
// Usage: npx tsx scripts/sim-reference.ts [--check]   (--check: exit 1 when the doc is out of date)
import { readFileSync, writeFileSync } from 'node:fs';
import { moduleReference, spliceReference } from '../src/sim/reference.js';

const file = 'docs/sim.md';
const text = readFileSync(file, 'utf8');
const next = spliceReference(text, await moduleReference());
if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error(`${file}: module reference is out of date; run npx tsx scripts/sim-reference.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(file, next);
  console.log(`${file}: module reference written`);
}
