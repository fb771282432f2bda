/**
 * Fixtures for the `nunatak view` tests: a small sim-like output.nc (NetCDF4)
 * on a UTM 32N grid near Hintereisferner, with a thickness dome that grows in
 * time, an ice-free south-west corner, one NaN cell and a 1-D volume series.
 */
import { createNetcdf } from '../../src/io/index.ts';
import { makeGrid } from '../../src/core/field/grid.ts';

/** UTM 32N, the zone of Hintereisferner. */
export const CRS = 'EPSG:32632';

export const NX = 40;
export const NY = 30;
export const DX = 100;
/** Dome centre (row j, column i) and radius in cells. */
export const CJ = 12;
export const CI = 25;
const R = 10;
export const TIMES = [0, 10, 20, 30, 40];
/** Thickness (m) of cell (j, i) at time index t; the centre cell is the unique maximum. */
export function thkAt(t: number, j: number, i: number): number {
  if (j === NY - 1 && i === NX - 1) return NaN;
  const r2 = ((j - CJ) ** 2 + (i - CI) ** 2) / (R * R);
  return Math.max(0, (100 + 50 * t) * (1 - r2));
}

/** Write the fixture to `path`. */
export async function writeSimLike(path: string): Promise<void> {
  const w = await createNetcdf(path, {
    grid: makeGrid({ nx: NX, ny: NY, x0: 630000, y0: 5183000, dx: DX, dy: DX, crs: CRS }),
    time: { units: 'common_years since 2000-01-01 00:00:00', calendar: '365_day' },
    variables: [
      { name: 'thk', units: 'm', longName: 'ice thickness', standardName: 'land_ice_thickness' },
      { name: 'vol', dims: ['time'], units: 'km3', longName: 'ice volume' },
    ],
  });
  TIMES.forEach((time, t) => {
    const thk = new Float32Array(NX * NY);
    let vol = 0;
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        thk[j * NX + i] = thkAt(t, j, i);
        if (Number.isFinite(thk[j * NX + i])) vol += (thk[j * NX + i] * DX * DX) / 1e9;
      }
    }
    w.append(time, { thk, vol: new Float64Array([vol]) });
  });
}
