/** The `nunatak models run` config (JSON or YAML), validated strictly. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { NunatakError, didYouMean } from '../core/errors.js';
import { addDuration, parseDuration } from './duration.js';

const range = z.tuple([z.number().int().min(0), z.number().int().min(1)]);

export const runConfigSchema = z.strictObject({
  /** Registry name, ./path (relative to the config file) or file:///abs. */
  model: z.string().min(1),
  data: z.strictObject({ file: z.string().min(1), lexicon: z.record(z.string(), z.string()).optional() }),
  /** ISO dates, or {start, end, every} (ISO 8601 duration). */
  start_times: z.union([z.array(z.string()).min(1), z.strictObject({ start: z.string(), end: z.string(), every: z.string() })]),
  steps: z.number().int().min(0),
  members: z.number().int().min(1).default(1),
  batch_size: z.number().int().min(1).default(1),
  perturbation: z
    .strictObject({
      method: z.enum(['none', 'gaussian', 'correlated', 'spherical_grf', 'bred_vector']).default('none'),
      amplitude: z.union([z.number().min(0), z.record(z.string(), z.number().min(0))]).default(0),
      seed: z.number().int().default(1),
      reddening: z.number().positive().default(2),
      breeding_cycles: z.number().int().min(1).default(3),
      /** spherical_grf (earth2mip / earth2studio names): regularity, inverse length scale (1/rad), scale (default tau^(alpha-1)). */
      alpha: z.number().positive().default(2),
      tau: z.number().positive().default(3),
      sigma: z.number().positive().optional(),
      isotropic: z.boolean().default(true),
    })
    .default({ method: 'none', amplitude: 0, seed: 1, reddening: 2, breeding_cycles: 3, alpha: 2, tau: 3, isotropic: true }),
  output: z.strictObject({
    /** A path ending in `.zarr` writes a zarr store, anything else NetCDF4 (unless `format` says otherwise). */
    path: z.string().min(1),
    format: z.enum(['netcdf', 'zarr']).optional(),
    /** Zarr format of a zarr output: 2 (xarray with zarr-python 2 reads it) or 3. */
    zarr_format: z.union([z.literal(2), z.literal(3)]).default(2),
    frequency: z.number().int().min(1).default(1),
    channels: z.array(z.string()).optional(),
    /** Row / column index ranges [start, end) of the model grid. */
    region: z.strictObject({ y: range, x: range }).optional(),
  }),
  executor: z.strictObject({ kind: z.enum(['inline', 'threads', 'distributed']).default('inline'), workers: z.number().int().min(1).default(1), redis: z.string().optional() }).default({ kind: 'inline', workers: 1 }),
  chunk_steps: z.number().int().min(1).default(8),
  threads: z.number().int().min(1).default(1),
});

export type RunConfig = z.infer<typeof runConfigSchema>;

/** Output format of a run: `output.format`, else zarr for a path ending in `.zarr`, else NetCDF4. */
export function outputFormat(cfg: RunConfig): 'netcdf' | 'zarr' {
  return cfg.output.format ?? (/\.zarr\/?$/i.test(cfg.output.path) ? 'zarr' : 'netcdf');
}

/** Parse a date ('2041-06-01' or full ISO); UTC. */
export function parseTime(s: string, where: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) throw new NunatakError('CONFIG', `${where}: '${s}' is not an ISO 8601 date`);
  return d;
}

export function startTimes(cfg: RunConfig, where: string): Date[] {
  const st = cfg.start_times;
  if (Array.isArray(st)) return st.map((s, i) => parseTime(s, `${where}: start_times[${i}]`));
  const end = parseTime(st.end, `${where}: start_times.end`);
  const every = parseDuration(st.every, `${where}: start_times.every`);
  const out: Date[] = [];
  for (let t = parseTime(st.start, `${where}: start_times.start`), k = 0; t <= end; t = addDuration(parseTime(st.start, where), every, ++k)) out.push(t);
  if (out.length === 0) throw new NunatakError('CONFIG', `${where}: start_times gives no times (start after end)`);
  return out;
}

/** Read and validate a run config; relative paths are made absolute against the config's folder. */
export function loadRunConfig(file: string): { cfg: RunConfig; dir: string; text: string } {
  let raw: unknown;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NunatakError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `${file}: cannot read the run config (${code ?? (e as Error).message})`, { hint: 'give the path of a run config (.yaml or .json; see docs/models.md)', cause: e });
  }
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new NunatakError('CONFIG', `${file}: cannot parse (${(e as Error).message})`, { cause: e });
  }
  const r = runConfigSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues.find((i) => i.code === 'unrecognized_keys') ?? r.error.issues[0];
    const where = iss.path.join('.') || '(top level)';
    if (iss.code === 'unrecognized_keys') {
      const known = iss.path.length === 0 ? Object.keys(runConfigSchema.shape) : [];
      throw new NunatakError('CONFIG', `${file}: unknown key ${iss.keys.map((k) => `'${k}'${didYouMean(k, known)}`).join(', ')} in ${where}`);
    }
    throw new NunatakError('CONFIG', `${file}: ${where}: ${iss.message}`);
  }
  const dir = dirname(resolve(file));
  const cfg = r.data;
  cfg.data.file = resolve(dir, cfg.data.file);
  cfg.output.path = resolve(dir, cfg.output.path);
  if (cfg.model.startsWith('./') || cfg.model.startsWith('../')) cfg.model = resolve(dir, cfg.model);
  return { cfg, dir, text };
}
