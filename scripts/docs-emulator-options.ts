// Rewrites the options table of docs/emulator.md from src/emulator/options.ts
// (run: node --import tsx scripts/docs-emulator-options.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { emulatorOptionsMarkdown, OPTIONS_BEGIN, OPTIONS_END } from '../src/emulator/options-markdown.js';

const file = new URL('../docs/emulator.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const a = text.indexOf(OPTIONS_BEGIN);
const b = text.indexOf(OPTIONS_END);
if (a < 0 || b < a) throw new Error(`docs/emulator.md: markers ${OPTIONS_BEGIN} … ${OPTIONS_END} not found`);
writeFileSync(file, text.slice(0, a + OPTIONS_BEGIN.length) + '\n' + emulatorOptionsMarkdown() + '\n' + text.slice(b));
