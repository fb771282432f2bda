/**
 * Rasters and outlines: GeoTIFF read/write, proj4 reprojection to regular
 * metric grids, shapefile outlines and their rasterisation to masks.
 */
export { readGeoTiff, type GeoRaster, type ReadGeoTiffOptions, type GeorefSource } from './geotiff.js';
export { writeGeoTiff, type WriteGeoTiffOptions } from './write-geotiff.js';
export { parseWorldFile, readWorldFileFor } from './worldfile.js';
export { gridFromGeoTransform, geoTransformOfGrid, type GeoTransform } from './geotransform.js';
export { resolveCrs, transformer, knowsEpsg, epsgEntry, type Crs, type EpsgEntry, type PointTransform } from './crs.js';
export { reprojectToGrid, resampleToGrid, sampleBilinear, footprintBounds, gridForBounds, type Bounds } from './reproject.js';
export { readOutline, reprojectOutline, outlineArea, ringArea, type Outline, type OutlineFeature, type Polygon, type Ring } from './outline.js';
export { rasterizeOutline } from './rasterize.js';
export { areaOfUse, crsAreaWarning, type AreaOfUse } from './crs-area.js';
export { glacierDomain, type GlacierDomain, type GlacierDomainOptions } from './domain.js';
