/**
 * Built-in sim modules: name → lazy import (heavy dependencies load only when
 * a run selects the module) and the defaults YAML beside the code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuiltinRegistry } from '../../core/plugins/index.js';
import type { ModuleKind } from '../contract.js';

const here = dirname(fileURLToPath(import.meta.url));

export const BUILTINS: Record<ModuleKind, BuiltinRegistry> = {
  inputs: new BuiltinRegistry('sim inputs')
    .add('synthetic', () => import('./inputs/synthetic.js'))
    .add('local', () => import('./inputs/local.js')),
  processes: new BuiltinRegistry('sim processes')
    .add('smb_simple', () => import('./processes/smb_simple.js'))
    .add('clim', () => import('./processes/clim.js'))
    .add('smb_ti', () => import('./processes/smb_ti.js'))
    .add('iceflow', () => import('./processes/iceflow.js'))
    .add('time', () => import('./processes/time.js'))
    .add('thk', () => import('./processes/thk.js'))
    .add('particles', () => import('./processes/particles.js'))
    .add('optimize', () => import('./processes/optimize.js'))
    .add('spinup', () => import('./processes/spinup.js')),
  outputs: new BuiltinRegistry('sim outputs')
    .add('plot2d', () => import('./outputs/plot2d.js'))
    .add('summary', () => import('./outputs/summary.js'))
    .add('write_ncdf', () => import('./outputs/write_ncdf.js'))
    .add('write_ts', () => import('./outputs/write_ts.js'))
    .add('write_tif', () => import('./outputs/write_tif.js'))
    .add('mass_balance', () => import('./outputs/mass_balance.js'))
    .add('length_area', () => import('./outputs/length_area.js')),
};

/** Defaults YAML of a built-in module. */
export function builtinDefaultsFile(kind: ModuleKind, name: string): string {
  return join(here, kind, `${name}.yaml`);
}
