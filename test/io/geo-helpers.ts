// Shared helpers for the GeoTIFF / outline tests: temp dirs and running GDAL's CLI tools.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

export const HEF = 'data/hintereisferner';
export const DEM = `${HEF}/hef_srtm.tif`;
export const RGI = `${HEF}/Hintereisferner_RGI6.shp`;

const made: string[] = [];
// Temp dirs are removed when the test process exits.
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `nunatak-${prefix}-`));
  made.push(d);
  return d;
}

/** Run a GDAL command line tool; throws with its stderr when it fails. */
export function gdal(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** A raster's values as GDAL decodes them (via an ESRI ASCII grid in a temp dir). */
export function gdalValues(path: string): { ncols: number; nrows: number; values: number[] } {
  const out = join(tmp('asc'), 'v.asc');
  gdal('gdal_translate', ['-q', '-of', 'AAIGrid', path, out]);
  return parseAsc(readFileSync(out, 'utf8'));
}

/** Parse an ESRI ASCII grid (gdal_translate -of AAIGrid) into its values, row-major north first. */
export function parseAsc(text: string): { ncols: number; nrows: number; values: number[] } {
  const lines = text.trim().split('\n');
  const head: Record<string, number> = {};
  let k = 0;
  while (k < lines.length && /^[a-z_]+\s/i.test(lines[k])) {
    const [key, val] = lines[k].trim().split(/\s+/);
    head[key.toLowerCase()] = Number(val);
    k++;
  }
  const values = lines.slice(k).join(' ').trim().split(/\s+/).map(Number);
  return { ncols: head.ncols, nrows: head.nrows, values };
}
