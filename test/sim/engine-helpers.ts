/** Temporary experiment folders for engine tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → text) into a fresh temp folder; returns it. */
export function makeExperiment(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nk-sim-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

/** A small valley experiment (inputs, processes, outputs lists as given). */
export function valleyYaml(opts: { inputs?: string[]; processes?: string[]; outputs?: string[]; extra?: string; time?: string; procs?: string } = {}): string {
  const list = (k: string, v: string[] | undefined) => (v ? `  - override /${k}: [${v.join(', ')}]\n` : '');
  return (
    'defaults:\n' +
    list('inputs', opts.inputs ?? ['synthetic']) +
    list('processes', opts.processes ?? ['smb_simple', 'iceflow', 'time', 'thk']) +
    list('outputs', opts.outputs) +
    'inputs:\n  synthetic: {type: valley, nx: 30, ny: 15, dx: 200, z0: 3200, slope: 0.1, width: 1200}\n' +
    (opts.processes === undefined || opts.processes.includes('time') ? `processes:\n  time: {${opts.time ?? 'start: 0, end: 40, save: 20'}}\n${opts.procs ?? ''}` : '') +
    (opts.extra ?? '') +
    'sim: {progress: false}\n'
  );
}
