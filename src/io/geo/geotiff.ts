/**
 * GeoTIFF reading: one band as a Field on a north-up Grid, georeferenced from
 * the GeoTIFF tags (ModelTransformation, or ModelTiepoint + ModelPixelScale,
 * with the EPSG code from ProjectedCSTypeGeoKey / GeographicTypeGeoKey) or from
 * a `.tfw` world file (+ `.prj`) beside it. GDAL nodata → NaN.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { NunatakError } from '../../core/errors.js';
import { Field } from '../../core/field/field.js';
import { resolveCrs } from './crs.js';
import { gridFromGeoTransform, type GeoTransform } from './geotransform.js';
import { readWorldFileFor } from './worldfile.js';

/** Where the georeferencing came from. */
export type GeorefSource = 'geokeys' | 'worldfile';

export interface ReadGeoTiffOptions {
  /** 0-based band (sample) index; default 0. */
  band?: number;
  /** Variable name of the returned field; default the file's base name. */
  name?: string;
  /** Units of the values (default "m", as for DEMs). */
  units?: string;
  /**
   * Which georeferencing to use: 'auto' (GeoKeys, else world file), 'geokeys'
   * or 'worldfile'. Default 'auto'.
   */
  georef?: 'auto' | GeorefSource;
  /** CRS override ("EPSG:nnnn", proj4 or WKT) for files without (or with a wrong) CRS. */
  crs?: string;
}

/** A raster read from a GeoTIFF. */
export interface GeoRaster {
  /** The band as a 2-D field (ny, nx), north-up when the file is; nodata → NaN. */
  field: Field;
  /** GDAL-style geotransform (upper-left pixel corner origin), CRS units. */
  transform: GeoTransform;
  /** CRS label ("EPSG:4326", proj4 or WKT); undefined when the file has none. */
  crs?: string;
  /** The nodata value in the file (before conversion to NaN), if any. */
  nodata?: number;
  /** Where the georeferencing was read from. */
  georef: GeorefSource;
}

const USER_DEFINED = 32767;

/** EPSG code from the GeoKeys, or undefined when none / user-defined. */
function epsgFromGeoKeys(keys: Record<string, unknown> | null): number | undefined {
  if (!keys) return undefined;
  const proj = keys.ProjectedCSTypeGeoKey as number | undefined;
  if (proj !== undefined && proj !== USER_DEFINED) return proj;
  const geog = keys.GeographicTypeGeoKey as number | undefined;
  if (geog !== undefined && geog !== USER_DEFINED) return geog;
  return undefined;
}

/** Geotransform from the GeoTIFF model tags, or undefined when the file has none. */
function transformFromTags(image: GeoTIFFImage, keys: Record<string, unknown> | null, path: string): GeoTransform | undefined {
  const fd = image.fileDirectory;
  const mt = fd.hasTag('ModelTransformation') ? (fd.getValue('ModelTransformation') as unknown as number[]) : undefined;
  const tp = fd.hasTag('ModelTiepoint') ? (fd.getValue('ModelTiepoint') as unknown as number[]) : undefined;
  const ps = fd.hasTag('ModelPixelScale') ? (fd.getValue('ModelPixelScale') as unknown as number[]) : undefined;
  let gt: GeoTransform | undefined;
  if (mt && mt.length >= 8) {
    gt = [mt[3], mt[0], mt[1], mt[7], mt[4], mt[5]];
  } else if (tp && ps && tp.length >= 6 && ps.length >= 2) {
    const [i, j, , x, y] = tp;
    gt = [x - i * ps[0], ps[0], 0, y + j * ps[1], 0, -ps[1]];
  } else if (tp || ps) {
    throw new NunatakError('IO', `${path}: incomplete GeoTIFF georeferencing (ModelTiepoint without ModelPixelScale or vice versa)`, {
      hint: 'add a .tfw world file or fix the file with gdal_translate',
    });
  }
  // PixelIsPoint: the tiepoint is a pixel centre; shift to the corner as GDAL does.
  if (gt && keys && keys.GTRasterTypeGeoKey === 2) {
    gt = [gt[0] - 0.5 * gt[1] - 0.5 * gt[2], gt[1], gt[2], gt[3] - 0.5 * gt[4] - 0.5 * gt[5], gt[4], gt[5]];
  }
  return gt;
}

const TRUNCATED_HINT = 'the file was cut short, e.g. by an interrupted copy or download; copy it again';

/**
 * A cut-short TIFF, told by byte counts: the first image directory (IFD) lies
 * past the end. Undefined when it does not.
 */
function tiffTruncation(bytes: Buffer): string | undefined {
  const size = bytes.length;
  if (size < 8) return `file is truncated: ${size} bytes, a TIFF header alone is 8`;
  const le = bytes[0] === 0x49;
  const big = bytes[2] === 0x2b || bytes[3] === 0x2b;
  if (big && size < 16) return `file is truncated: ${size} bytes, a BigTIFF header alone is 16`;
  const ifd = big ? Number(le ? bytes.readBigUInt64LE(8) : bytes.readBigUInt64BE(8)) : le ? bytes.readUInt32LE(4) : bytes.readUInt32BE(4);
  return ifd >= size ? `file is truncated: ${size} bytes, but its image directory starts at byte ${ifd}` : undefined;
}

/** As {@link tiffTruncation}, once the IFD is read: the strips / tiles it lists must end inside the file. */
async function tiffDataTruncation(size: number, image: GeoTIFFImage): Promise<string | undefined> {
  const fd = image.fileDirectory;
  const [off, cnt] = fd.hasTag('StripOffsets') ? (['StripOffsets', 'StripByteCounts'] as const) : (['TileOffsets', 'TileByteCounts'] as const);
  if (!fd.hasTag(off) || !fd.hasTag(cnt)) return undefined;
  const offsets = (await fd.loadValue(off)) as ArrayLike<number | bigint>;
  const counts = (await fd.loadValue(cnt)) as ArrayLike<number | bigint>;
  let end = 0;
  for (let k = 0; k < offsets.length; k++) end = Math.max(end, Number(offsets[k]) + Number(counts[k] ?? 0));
  return end > size ? `file is truncated: ${size} bytes, expected at least ${end} (where its image data ends)` : undefined;
}

/**
 * Read one band of a GeoTIFF as a Field (float32, nodata → NaN). Errors:
 * missing file (NOT_FOUND), not a TIFF (IO), no georeferencing (INPUT), an
 * EPSG code nunatak does not know (INPUT, names the code).
 */
export async function readGeoTiff(path: string, opts: ReadGeoTiffOptions = {}): Promise<GeoRaster> {
  if (!existsSync(path)) {
    throw new NunatakError('NOT_FOUND', `GeoTIFF ${path} does not exist`, { hint: 'check the path' });
  }
  const bytes = readFileSync(path);
  const magic = bytes.subarray(0, 4).toString('latin1');
  if (!(magic === 'II*\0' || magic === 'MM\0*' || magic === 'II+\0' || magic === 'MM\0+')) {
    throw new NunatakError('IO', `${path} is not a TIFF file (first bytes ${JSON.stringify(magic)})`, {
      hint: 'expected a GeoTIFF starting with "II*" or "MM*"',
    });
  }
  let image: GeoTIFFImage;
  try {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const tiff = await fromArrayBuffer(ab);
    image = await tiff.getImage(0);
  } catch (e) {
    const cut = tiffTruncation(bytes);
    if (cut) throw new NunatakError('IO', `${path}: ${cut}`, { hint: TRUNCATED_HINT, cause: e });
    throw new NunatakError('IO', `${path}: cannot parse TIFF (${(e as Error).message})`, { hint: 'the file may be corrupt', cause: e });
  }
  const cut = await tiffDataTruncation(bytes.length, image);
  if (cut) throw new NunatakError('IO', `${path}: ${cut}`, { hint: TRUNCATED_HINT });
  const nx = image.getWidth();
  const ny = image.getHeight();
  const band = opts.band ?? 0;
  const nBands = image.getSamplesPerPixel();
  if (!Number.isInteger(band) || band < 0 || band >= nBands) {
    throw new NunatakError('INPUT', `${path}: band ${band} does not exist (file has ${nBands} band(s), 0-based)`);
  }

  const keys = image.getGeoKeys() as Record<string, unknown> | null;
  const mode = opts.georef ?? 'auto';
  let transform: GeoTransform | undefined;
  let crs: string | undefined;
  let georef: GeorefSource = 'geokeys';
  if (mode !== 'worldfile') {
    transform = transformFromTags(image, keys, path);
    const epsg = epsgFromGeoKeys(keys);
    if (epsg !== undefined) crs = `EPSG:${epsg}`;
    else if (keys && (keys.ProjectedCSTypeGeoKey === USER_DEFINED || keys.GeographicTypeGeoKey === USER_DEFINED) && !opts.crs) {
      throw new NunatakError('INPUT', `${path}: user-defined CRS in GeoKeys (code 32767) that nunatak cannot decode`, {
        hint: 'pass the CRS explicitly: readGeoTiff(path, { crs: "EPSG:nnnn" or a proj4 string })',
      });
    }
  }
  if (!transform && mode !== 'geokeys') {
    const wf = readWorldFileFor(path);
    if (wf) {
      transform = wf.transform;
      georef = 'worldfile';
      const prj = wf.path.replace(/\.[^./\\]+$/, '.prj');
      crs = existsSync(prj) ? readFileSync(prj, 'utf8').trim() : undefined;
    }
  }
  if (!transform) {
    throw new NunatakError('INPUT', `${path}: no georeferencing (${mode === 'worldfile' ? 'no .tfw/.wld world file beside it' : 'no ModelTiepoint/ModelTransformation tags and no world file'})`, {
      hint: 'add a .tfw world file (and .prj), or georeference it with gdal_translate -a_ullr -a_srs',
    });
  }
  if (opts.crs) crs = opts.crs;
  // Validate the CRS now so an unknown code fails at read time, naming the file.
  if (crs !== undefined) resolveCrs(crs, path);

  let raster: ArrayLike<number>;
  try {
    raster = (await image.readRasters({ samples: [band], interleave: true })) as unknown as ArrayLike<number>;
  } catch (e) {
    throw new NunatakError('IO', `${path}: cannot decode the image data (${(e as Error).message})`, { hint: 'the file may be corrupt', cause: e });
  }
  const nodata = image.getGDALNoData() ?? undefined;
  const data = new Float32Array(nx * ny);
  for (let k = 0; k < data.length; k++) {
    const v = raster[k];
    data[k] = nodata !== undefined && (v === nodata || (Number.isNaN(nodata) && Number.isNaN(v))) ? NaN : v;
  }
  const grid = gridFromGeoTransform(transform, nx, ny, crs, path);
  const name = opts.name ?? path.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const field = new Field({ name, grid, units: opts.units ?? 'm', data });
  return { field, transform, crs, nodata, georef };
}
