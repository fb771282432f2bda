/** Area weights per grid row: cos(latitude) on lat/lon grids, 1 on projected grids (equal-area cells). */
import { gridShape, type ModelGrid } from '../grid.js';

/** One weight per row (length ny); not normalised (scores divide by Σw). */
export function rowWeights(g: ModelGrid): Float64Array {
  const [ny] = gridShape(g);
  const w = new Float64Array(ny);
  for (let j = 0; j < ny; j++) w[j] = g.kind === 'latlon' ? Math.max(0, Math.cos((g.lat[j] * Math.PI) / 180)) : 1;
  return w;
}
