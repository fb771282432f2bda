/**
 * Model packages: a folder holding `metadata.json` plus the files its loader
 * needs (ONNX file, normalisation .npy, code). The schema is strict: unknown
 * keys are errors (earth2mip silently ignores them and loads empty channel
 * lists), and every shape is checked against the channel lists and grid.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { NunatakError, didYouMean } from '../core/errors.js';
import { parseDuration, isZero, type Duration } from './duration.js';
import { GRID_PRESETS, axisRange, gridShape, type ModelGrid } from './grid.js';
import { readNpy } from '../io/npy/index.js';
import { resolveMapping, tensorMapsSchema, TENSOR_MAP_KEYS, type OnnxMapping } from './onnx-mapping.js';

const rangeOrValues = z.union([
  z.array(z.number()).min(1),
  z.strictObject({ start: z.number(), step: z.number(), n: z.number().int().positive() }),
]);

const gridSchema = z.union([
  z.strictObject({ preset: z.string() }),
  z.strictObject({ lat: rangeOrValues, lon: rangeOrValues }),
  z.strictObject({ x: rangeOrValues, y: rangeOrValues, crs: z.string() }),
]);

export const metadataSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    /** Plugin entrypoint returning a TimeLoop: `{name: "./loop.ts#load", kwargs}`. */
    entrypoint: z.strictObject({ name: z.string().min(1), kwargs: z.record(z.string(), z.unknown()).default({}) }).optional(),
    /** Plugin entrypoint returning a StepModel, wrapped by the inference wrapper. */
    architecture_entrypoint: z.string().min(1).optional(),
    /** ONNX file in the package, wrapped by the inference wrapper. */
    onnx: z.string().min(1).optional(),
    grid: gridSchema,
    /** State channels (optional with onnx_inputs: then the mapped channels, in order). */
    in_channels: z.array(z.string().min(1)).min(1).optional(),
    out_channels: z.array(z.string().min(1)).min(1).optional(),
    /** ONNX graphs with several named inputs/outputs: name → layout and channels (see onnx-mapping.ts). */
    onnx_inputs: tensorMapsSchema.optional(),
    onnx_outputs: tensorMapsSchema.optional(),
    n_history: z.number().int().min(0).default(0),
    history_time_step: z.string().optional(),
    time_step: z.string(),
    /** Whether the step model takes the valid time (ONNX: an input named `time`, seconds since 1970). */
    time_input: z.boolean().default(false),
    /** Normalisation files: x_norm = (x − center) / scale, per channel. */
    normalisation: z.strictObject({ center: z.string(), scale: z.string() }).optional(),
  });

const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(metadataSchema.shape),
  entrypoint: ['name', 'kwargs'],
  normalisation: ['center', 'scale'],
};

export type RawMetadata = z.infer<typeof metadataSchema>;

/** A validated, loaded package. Channel arrays are physical-unit normalisation per in-channel. */
export interface ModelPackage {
  name: string;
  /** Absolute folder of the package. */
  dir: string;
  meta: RawMetadata;
  kind: 'entrypoint' | 'architecture' | 'onnx';
  grid: ModelGrid;
  inChannels: string[];
  outChannels: string[];
  /** n_history + 1: the number of time levels the model reads. */
  nHistoryLevels: number;
  historyTimeStep: Duration;
  timeStep: Duration;
  center?: Float32Array;
  scale?: Float32Array;
  /** Named ONNX inputs/outputs (onnx_inputs / onnx_outputs), when the package maps them. */
  onnxMapping?: OnnxMapping;
}

/** Absolute path of a file inside the package; throws NOT_FOUND naming the metadata key. */
export function packageFile(dir: string, rel: string, key: string): string {
  const p = resolve(dir, rel);
  if (!existsSync(p)) {
    throw new NunatakError('NOT_FOUND', `${join(dir, 'metadata.json')}: ${key} '${rel}' not found (${p})`, { hint: 'paths in metadata.json are relative to the package folder' });
  }
  return p;
}

function zodMessage(file: string, err: z.ZodError): NunatakError {
  // Unknown keys first: a misspelt key also makes the right one look missing.
  const iss = err.issues.find((i) => i.code === 'unrecognized_keys') ?? err.issues[0];
  const where = iss.path.length ? iss.path.join('.') : '(top level)';
  if (iss.path[0] === 'grid') {
    return new NunatakError('CONFIG', `${file}: grid must be {preset}, {lat, lon} or {x, y, crs} (${iss.message})`, { hint: 'lat/lon/x/y are arrays of values or {start, step, n}' });
  }
  if (iss.code === 'unrecognized_keys') {
    const mapKey = (iss.path[0] === 'onnx_inputs' || iss.path[0] === 'onnx_outputs') && iss.path.length === 2;
    const known = mapKey ? TENSOR_MAP_KEYS : (KNOWN_KEYS[iss.path.join('.')] ?? []);
    const keys = iss.keys.map((k) => `'${k}'${didYouMean(k, known)}`).join(', ');
    return new NunatakError('CONFIG', `${file}: unknown key ${keys} in ${where}`, { hint: `allowed keys: ${known.join(', ') || 'see docs/models.md'}` });
  }
  return new NunatakError('CONFIG', `${file}: ${where}: ${iss.message}`);
}

function axis(v: number[] | { start: number; step: number; n: number }): Float64Array {
  return Array.isArray(v) ? Float64Array.from(v) : axisRange(v.start, v.step, v.n);
}

function buildGrid(file: string, g: RawMetadata['grid']): ModelGrid {
  if ('preset' in g) {
    const f = GRID_PRESETS[g.preset];
    if (!f) throw new NunatakError('CONFIG', `${file}: grid.preset '${g.preset}' is unknown${didYouMean(g.preset, Object.keys(GRID_PRESETS))}`, { hint: `presets: ${Object.keys(GRID_PRESETS).join(', ')}` });
    return f();
  }
  if ('lat' in g) return { kind: 'latlon', lat: axis(g.lat), lon: axis(g.lon) };
  return { kind: 'xy', x: axis(g.x), y: axis(g.y), crs: g.crs };
}

/** Reads a per-channel normalisation array: shape [C] or [1, C, 1, 1] (earth2mip's). */
function loadNorm(dir: string, rel: string, key: string, nc: number, file: string): Float32Array {
  const p = packageFile(dir, rel, key);
  const a = readNpy(p);
  const c = a.shape.length === 1 ? a.shape[0] : a.shape.length === 4 && a.shape[0] === 1 && a.shape[2] === 1 && a.shape[3] === 1 ? a.shape[1] : -1;
  if (c !== nc) {
    throw new NunatakError('SHAPE', `${file}: ${key} ${rel} has shape [${a.shape.join(', ')}], expected [${nc}] (one value per in_channel)`);
  }
  if (typeof a.data[0] === 'bigint' || a.dtype === 'bool') throw new NunatakError('DTYPE', `${file}: ${key} ${rel} has dtype ${a.dtype}; expected float32 or float64`);
  const out = Float32Array.from(a.data as Float32Array);
  if (key.endsWith('scale')) {
    out.forEach((s, i) => {
      if (!(s > 0) || !Number.isFinite(s)) throw new NunatakError('INPUT', `${file}: ${key}[${i}] = ${s}; scales must be finite and > 0`);
    });
  }
  return out;
}

/** Validate a metadata object (already parsed JSON) for package folder `dir`. */
export function validateMetadata(dir: string, json: unknown, name: string): ModelPackage {
  const file = join(dir, 'metadata.json');
  const r = metadataSchema.safeParse(json);
  if (!r.success) throw zodMessage(file, r.error);
  const meta = r.data;
  const kinds = (['entrypoint', 'architecture_entrypoint', 'onnx'] as const).filter((k) => meta[k] !== undefined);
  if (kinds.length !== 1) {
    throw new NunatakError('CONFIG', `${file}: give exactly one of entrypoint, architecture_entrypoint, onnx (got ${kinds.length ? kinds.join(', ') : 'none'})`);
  }
  for (const [key, list] of [['in_channels', meta.in_channels], ['out_channels', meta.out_channels]] as const) {
    const dup = list?.find((c, i) => list.indexOf(c) !== i);
    if (dup) throw new NunatakError('CONFIG', `${file}: ${key} lists '${dup}' twice`);
  }
  const mapped = meta.onnx_inputs !== undefined || meta.onnx_outputs !== undefined;
  if (mapped && !meta.onnx) throw new NunatakError('CONFIG', `${file}: onnx_inputs / onnx_outputs map the inputs of an onnx file; this package has no "onnx" key`);
  if (mapped && (!meta.onnx_inputs || !meta.onnx_outputs)) {
    throw new NunatakError('CONFIG', `${file}: ${meta.onnx_inputs ? 'onnx_outputs' : 'onnx_inputs'} is missing; give both onnx_inputs and onnx_outputs`, { hint: 'e.g. "onnx_outputs": {"output": {"like": "input"}}' });
  }
  const mapping = mapped ? resolveMapping(file, meta.onnx_inputs!, meta.onnx_outputs!, meta.n_history, meta.in_channels, meta.out_channels) : undefined;
  const inChannels = mapping?.inChannels ?? meta.in_channels;
  const outChannels = mapping?.outChannels ?? meta.out_channels;
  if (!inChannels || !outChannels) {
    throw new NunatakError('CONFIG', `${file}: ${inChannels ? 'out_channels' : 'in_channels'} is missing`, { hint: 'list the channels, or map them with onnx_inputs / onnx_outputs' });
  }
  const timeStep = parseDuration(meta.time_step, `${file}: time_step`);
  if (isZero(timeStep)) throw new NunatakError('CONFIG', `${file}: time_step must be > 0`);
  if (meta.n_history > 0 && meta.history_time_step === undefined) {
    throw new NunatakError('CONFIG', `${file}: n_history = ${meta.n_history} needs history_time_step`);
  }
  const historyTimeStep = parseDuration(meta.history_time_step ?? 'PT0S', `${file}: history_time_step`);
  const grid = buildGrid(file, meta.grid);
  const [ny, nx] = gridShape(grid);
  if (ny < 1 || nx < 1) throw new NunatakError('SHAPE', `${file}: grid is empty (${ny}×${nx})`);
  const kind = meta.entrypoint ? 'entrypoint' : meta.onnx ? 'onnx' : 'architecture';
  if (kind !== 'entrypoint') {
    const missing = outChannels.filter((c) => !inChannels.includes(c));
    if (missing.length) {
      throw new NunatakError('CONFIG', `${file}: out_channels ${missing.join(', ')} are not in_channels; a wrapped step model must feed its output back`, { hint: 'use an entrypoint time loop for models with diagnostic outputs' });
    }
  }
  const sameStep = (['years', 'months', 'days', 'seconds'] as const).every((k) => historyTimeStep[k] === timeStep[k]);
  if (kind !== 'entrypoint' && meta.n_history > 0 && !sameStep) {
    // The wrapper slides the history window by one step per call.
    throw new NunatakError('CONFIG', `${file}: history_time_step ${historyTimeStep.iso} differs from time_step ${timeStep.iso}; a wrapped step model needs them equal`, { hint: 'write an entrypoint time loop for other history spacings' });
  }
  if (meta.onnx) packageFile(dir, meta.onnx, 'onnx');
  let center: Float32Array | undefined;
  let scale: Float32Array | undefined;
  if (meta.normalisation) {
    center = loadNorm(dir, meta.normalisation.center, 'normalisation.center', inChannels.length, file);
    scale = loadNorm(dir, meta.normalisation.scale, 'normalisation.scale', inChannels.length, file);
  }
  return {
    name: meta.name ?? name,
    dir,
    meta,
    kind,
    grid,
    inChannels,
    outChannels,
    nHistoryLevels: meta.n_history + 1,
    historyTimeStep,
    timeStep,
    center,
    scale,
    onnxMapping: mapping && { inputs: mapping.inputs, outputs: mapping.outputs },
  };
}

/** Read and validate `<dir>/metadata.json`. */
export function readPackage(dir: string, name = dir.split(/[\\/]/).filter(Boolean).pop() ?? dir): ModelPackage {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new NunatakError('NOT_FOUND', `model package ${abs}: no such folder`);
  const file = join(abs, 'metadata.json');
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `model package ${abs}: no metadata.json`, { hint: 'a package is a folder with metadata.json (see docs/models.md)' });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new NunatakError('IO', `${file}: invalid JSON (${(e as Error).message})`, { cause: e });
  }
  return validateMetadata(abs, json, name);
}
