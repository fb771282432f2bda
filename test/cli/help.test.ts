// Every command and subcommand's --help (walked from commander's program.commands):
// a description, every option's default / "required" / boolean flag stated, an
// "Example:" line, none of the old "DLE option X" placeholders, and the exit
// codes in `nunatak --help`. In-process (one program build), so it stays fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { loadLazyTableOptions } from '../../src/cli/table-options.js';

function walk(c: Command, path: string[] = []): Array<{ cmd: Command; path: string }> {
  const here = [...path, c.name()];
  return [{ cmd: c, path: here.join(' ') }, ...c.commands.flatMap((s) => walk(s, here))];
}

function helpText(c: Command): string {
  let out = '';
  c.configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (out += s) });
  c.outputHelp(); // includes addHelpText('after', …)
  return out;
}

const program = await buildProgram();
await loadLazyTableOptions(program); // emulator train's and invert's table options are added on dispatch
const all = walk(program);

test('the walk reaches every face (sanity: the test cannot pass on an empty program)', () => {
  const names = all.map((a) => a.path);
  for (const p of ['nunatak run', 'nunatak inspect', 'nunatak emulator train', 'nunatak emulator export-onnx', 'nunatak models run', 'nunatak udf run', 'nunatak hybrid simulate', 'nunatak invert']) {
    assert.ok(names.includes(p), p);
  }
});

for (const { cmd, path } of all) {
  test(`${path} --help: description, defaults, required marks, an example`, () => {
    assert.ok(cmd.description().trim().length > 10, `${path}: description`);
    for (const o of cmd.options) {
      if (o.hidden) continue;
      const d = o.description ?? '';
      const isFlag = !o.required && !o.optional; // no <value> / [value]
      const states = /\(default[:)]|default: |\(required\b/i.test(d) || o.defaultValue !== undefined || o.mandatory;
      assert.ok(isFlag || states, `${path} ${o.flags}: '${d}' states no default and is not marked required`);
      if (o.mandatory) assert.match(d, /\(required\)/, `${path} ${o.flags}: a required option says so`);
      assert.doesNotMatch(d, /^DLE option \w+/, `${path} ${o.flags}: placeholder help`);
    }
    const help = helpText(cmd);
    assert.match(help, /^Examples?:$/m, `${path}: an "Example:" line`);
    // an example line names the command it is the help of
    const words = path.split(' ');
    const ex = help.slice(help.search(/^Examples?:$/m));
    assert.ok(ex.includes(words.slice(0, Math.min(words.length, 2)).join(' ')), `${path}: the example runs ${words.slice(0, 2).join(' ')}`);
  });
}

test('nunatak --help documents the exit codes', () => {
  const help = helpText(program);
  assert.match(help, /^Exit codes?:/m);
  for (const code of ['0', '1', '2', '130']) assert.match(help, new RegExp(`^\\s+${code}\\s+\\S`, 'm'), `exit code ${code}`);
});

test('docs/cli.md lists the same exit codes as nunatak --help', async () => {
  const { readFileSync } = await import('node:fs');
  const { EXIT_CODES } = await import('../../src/cli/program.js');
  const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  const inHelp = [...EXIT_CODES.matchAll(/^ {2}(\d+) /gm)].map((m) => m[1]);
  const inDoc = [...doc.matchAll(/^\| (\d+) \|/gm)].map((m) => m[1]);
  assert.deepEqual(inDoc, inHelp);
});
