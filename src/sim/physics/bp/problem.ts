/**
 * `bpProblem`: the Blatter–Pattyn energy J(U, V) of one geometry, with the
 * per-geometry precomputation done once and its gradient from the adjoint.
 */
import { NunatakError } from '../../../core/errors.js';
import { validateBPSettings, type BPSettings } from './settings.js';
import type { BPGeometry } from './geometry.js';
import type { BPProblem, BPProblemOptions } from './problem-api.js';
import { TsProblem } from './problem-ts.js';
import { WasmProblem } from './problem-wasm.js';

/**
 * The Blatter–Pattyn energy of `geom` under `settings` (validated; throws
 * NunatakError naming a bad field or setting). Backend 'wasm' (default): the
 * fused AssemblyScript kernel, on the {@link setBPThreads} pool for large
 * grids; 'ts': the float64 TypeScript reference.
 */
export function bpProblem(geom: BPGeometry, settings: BPSettings, opts: BPProblemOptions = {}): BPProblem {
  validateBPSettings(settings);
  const backend = opts.backend ?? 'wasm';
  if (backend === 'ts') return new TsProblem(geom, { ...settings });
  if (backend === 'wasm') return new WasmProblem(geom, { ...settings }, opts.threads, opts.simd ?? true);
  throw new NunatakError('CONFIG', `bpProblem: backend '${String(backend)}' is unknown`, { hint: "use 'wasm' (default) or 'ts' (float64 reference)" });
}
