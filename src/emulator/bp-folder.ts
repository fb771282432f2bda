/**
 * Blatter–Pattyn (BP) emulator folders: IGM 2.x `pinnbp_*` folders and the
 * ones `nunatak emulator pretrain` writes. Such a network maps raw fields
 * (fieldin.dat lists names only, no scaling) to U, V on Nz levels
 * (channels 0..Nz−1 = U bed → surface, Nz..2Nz−1 = V, m a⁻¹).
 *
 * Settings come from `bp-emulator.json` (nunatak) or, for an IGM folder, from
 * its name `pinnbp_<Nz>_<vert_spacing>_<network>_<nb_layers>_<nb_out_filter>_<dim_arrhenius>_<new_friction_param>`
 * (IGM's emulate.py builds that name from the same parameters).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';

/** Inputs IGM 2.x feeds its BP emulator (params_iceflow `iflo_fieldin`). */
export const BP_FIELDIN = ['thk', 'usurf', 'arrhenius', 'slidingco', 'dX'];
export const BP_META_FILE = 'bp-emulator.json';

export interface BPEmulatorMeta {
  /** Vertical levels (bed → surface). */
  Nz: number;
  /** IGM's vertical spacing parameter (1 = uniform). */
  vert_spacing: number;
  exp_glen: number;
  exp_weertman: number;
  /** true: slidingco is the Weertman coefficient itself (IGM 2.x default). */
  new_friction_param: boolean;
  /** 2 (horizontal A) — 3-D A is not supported. */
  dim_arrhenius: number;
  network: string;
  nb_layers: number;
  nb_out_filter: number;
  /** Input field names in channel order (raw units). */
  inputs: string[];
  /** Where the settings came from (for messages). */
  source: string;
}

/** Settings a BP emulator must share with the run that uses it. */
export interface BPCheckSettings {
  Nz: number;
  vert_spacing: number;
  exp_glen: number;
  exp_weertman: number;
}

const PINNBP = /^pinnbp_(\d+)_(\d+(?:\.\d+)?)_([a-z]+)_(\d+)_(\d+)_(\d)_([01])$/;

/** Settings encoded in an IGM folder name, or null when the name is not `pinnbp_…`. */
export function parsePinnbpName(name: string): Omit<BPEmulatorMeta, 'inputs' | 'source'> | null {
  const m = PINNBP.exec(name);
  if (!m) return null;
  // IGM trains with its defaults for the exponents (params_iceflow: exp_glen 3, exp_weertman 3).
  return {
    Nz: Number(m[1]), vert_spacing: Number(m[2]), network: m[3], nb_layers: Number(m[4]), nb_out_filter: Number(m[5]),
    dim_arrhenius: Number(m[6]), new_friction_param: m[7] === '1', exp_glen: 3, exp_weertman: 3,
  };
}

/** Names from a fieldin/fieldout.dat, with or without scaling values (first token per line). */
export function readFieldNames(file: string): string[] {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `channel file ${file} does not exist`, { hint: 'one field name per line (IGM 2.x) or `name scaling` (DLE)' });
  const names = readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
  if (names.length === 0) throw new NunatakError('IO', `${file}: no channels listed`);
  return names;
}

/** True when `dir` holds a BP emulator (bp-emulator.json, or a pinnbp name with fieldout.dat = U, V). */
export function isBPEmulatorFolder(dir: string): boolean {
  if (existsSync(join(dir, BP_META_FILE))) return true;
  const out = join(dir, 'fieldout.dat');
  return parsePinnbpName(basename(resolve(dir))) !== null && existsSync(out) && readFieldNames(out).join() === 'U,V';
}

/** Read a BP emulator folder's settings. */
export function readBPEmulatorMeta(dir: string): BPEmulatorMeta {
  const inputs = readFieldNames(join(dir, 'fieldin.dat'));
  const outs = readFieldNames(join(dir, 'fieldout.dat'));
  if (outs.join() !== 'U,V') {
    throw new NunatakError('CONFIG', `${dir}/fieldout.dat lists ${outs.join(', ')}; a Blatter–Pattyn emulator outputs U, V`, { hint: 'DLE-style emulators (ubar, vbar, …) use iceflow.method emulated without BP settings' });
  }
  const metaFile = join(dir, BP_META_FILE);
  let m: Omit<BPEmulatorMeta, 'inputs' | 'source'> | null;
  let source: string;
  if (existsSync(metaFile)) {
    const j = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
    for (const k of ['Nz', 'vert_spacing', 'exp_glen', 'exp_weertman'] as const) {
      if (typeof j[k] !== 'number' || !Number.isFinite(j[k])) throw new NunatakError('IO', `${metaFile}: '${k}' must be a number, got ${JSON.stringify(j[k])}`);
    }
    m = {
      Nz: j.Nz as number, vert_spacing: j.vert_spacing as number, exp_glen: j.exp_glen as number, exp_weertman: j.exp_weertman as number,
      new_friction_param: j.new_friction_param !== false, dim_arrhenius: Number(j.dim_arrhenius ?? 2),
      network: String(j.network ?? 'cnn'), nb_layers: Number(j.nb_layers ?? 0), nb_out_filter: Number(j.nb_out_filter ?? 0),
    };
    source = metaFile;
    const listed = j.inputs as string[] | undefined;
    if (listed && listed.join() !== inputs.join()) throw new NunatakError('IO', `${metaFile} lists inputs ${listed.join(', ')} but fieldin.dat lists ${inputs.join(', ')}`);
  } else {
    m = parsePinnbpName(basename(resolve(dir)));
    source = `folder name ${basename(resolve(dir))}`;
    if (!m) {
      throw new NunatakError('CONFIG', `${dir}: no ${BP_META_FILE} and the folder name is not pinnbp_<Nz>_<vert_spacing>_<net>_<nb_layers>_<nb_out_filter>_<dim_arrhenius>_<new_friction_param>`, {
        hint: `keep IGM's folder name, or write ${BP_META_FILE} with Nz, vert_spacing, exp_glen, exp_weertman`,
      });
    }
  }
  if (m.dim_arrhenius !== 2) throw new NunatakError('CONFIG', `${dir}: dim_arrhenius ${m.dim_arrhenius} (${source}) is not supported; nunatak's BP emulators take a 2-D arrhenius`);
  return { ...m, inputs, source };
}

/** Write nunatak's metadata file for a BP emulator folder. */
export function writeBPEmulatorMeta(dir: string, m: Omit<BPEmulatorMeta, 'source'>): void {
  const { Nz, vert_spacing, exp_glen, exp_weertman, new_friction_param, dim_arrhenius, network, nb_layers, nb_out_filter, inputs } = m;
  writeFileSync(join(dir, BP_META_FILE), JSON.stringify({ Nz, vert_spacing, exp_glen, exp_weertman, new_friction_param, dim_arrhenius, network, nb_layers, nb_out_filter, inputs }, null, 2) + '\n');
}

/**
 * Refuse an emulator trained under other settings than the run's: Nz,
 * vert_spacing, the exponents and the input list must match (`where` names
 * the config section, e.g. processes.iceflow).
 */
export function checkBPEmulatorMeta(m: BPEmulatorMeta, s: BPCheckSettings, where: string, dir: string): void {
  for (const k of ['Nz', 'vert_spacing', 'exp_glen', 'exp_weertman'] as const) {
    if (Math.abs(m[k] - s[k]) > 1e-9 * Math.max(1, Math.abs(s[k]))) {
      throw new NunatakError('CONFIG', `${where}.${k} is ${s[k]} but the emulator ${dir} was trained with ${k} = ${m[k]} (${m.source})`, {
        hint: `set ${where}.${k}: ${m[k]}, or pretrain an emulator for ${k} = ${s[k]} (nunatak emulator pretrain --${k} ${s[k]})`,
      });
    }
  }
  if (m.inputs.join() !== BP_FIELDIN.join()) {
    throw new NunatakError('CONFIG', `${where}.emulator ${dir} takes inputs ${m.inputs.join(', ')}; nunatak's BP emulators take ${BP_FIELDIN.join(', ')}`, { hint: 'fieldin.dat must list thk, usurf, arrhenius, slidingco, dX in this order' });
  }
  if (!m.new_friction_param) {
    throw new NunatakError('CONFIG', `${where}.emulator ${dir} was trained with new_friction_param = 0 (${m.source}); nunatak's BP energy uses slidingco as the Weertman coefficient (new_friction_param = 1)`);
  }
}
