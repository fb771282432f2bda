/**
 * JSON shapes the `nunatak view` server sends and the page reads (shared by
 * both sides; no Node imports so the browser bundle can use it).
 */

/** Attribute values as JSON (bigints become numbers). */
export type JsonAttrs = Record<string, string | number | Array<string | number>>;

/** One servable file: `id` is `<root index>/<path inside the root>`. */
export interface FileEntry {
  id: string;
  /** What the user sees: the path as given on the command line, plus the path inside a folder. */
  label: string;
  kind: 'netcdf' | 'npy' | 'geotiff' | 'zarr';
  /** Bytes. */
  size: number;
}

export interface VarMeta {
  name: string;
  dtype: string;
  dims: string[];
  shape: number[];
  attrs: JsonAttrs;
  /** Positions in `dims` of the map's y and x axes (2-D and higher variables). */
  map?: { y: number; x: number };
  /** CRS of the variable's grid (its grid_mapping), when the file has one. */
  crs?: CrsMeta;
}

export interface CrsMeta {
  /** What the file says: "EPSG:32632", proj4 or WKT. */
  label: string;
  /** Definition proj4js understands (a proj4 string or WKT). */
  def: string;
  geographic: boolean;
}

/** Values of a 1-D coordinate variable; `labels` for CF times ("2000-01-01 00:00:00"). */
export interface CoordMeta {
  values: number[];
  units?: string;
  labels?: string[];
}

export interface FileMeta {
  id: string;
  kind: FileEntry['kind'];
  format: string;
  attrs: JsonAttrs;
  dims: Array<{ name: string; size: number }>;
  vars: VarMeta[];
  coords: Record<string, CoordMeta>;
}

/** A served polygon shapefile that can be drawn over maps with a CRS (/api/outlines). */
export interface OutlineEntry {
  id: string;
  label: string;
}

/** /api/outline/<id>?for=<file>&var=<v>: the shapefile's rings in the variable's CRS. */
export interface OutlineData {
  id: string;
  /** The map's CRS label (the rings' coordinates are in its units, m for a projected CRS). */
  crs: string;
  /** The shapefile's own CRS (its .prj). */
  sourceCrs: string;
  /** Every ring (outer boundaries and holes) as [x, y] vertices. */
  rings: Array<Array<[number, number]>>;
}

/** Body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

/** Response headers of /api/slab (body: Float32 little-endian, C order). */
export const SLAB_HEADERS = {
  /** Comma-separated shape of the body, e.g. "512,1024" (map: y, x). */
  shape: 'x-nunatak-shape',
  /** Stride used per returned axis ("2,2" when downsampled). */
  stride: 'x-nunatak-stride',
  /** Finite min and max of the slab ("NaN" when all values are NaN). */
  min: 'x-nunatak-min',
  max: 'x-nunatak-max',
} as const;

/** Longest side of a map slab sent to the page; larger grids are strided. */
export const MAX_MAP_PX = 1024;
/** Longest series sent for a 1-D plot. */
export const MAX_SERIES = 100_000;
