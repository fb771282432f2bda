/** A file's CRS label → the definition the page's proj4js can use for lon/lat readouts. */
import { epsgEntry, resolveCrs } from '../../io/index.js';
import type { CrsMeta } from '../protocol.js';

/** undefined when there is no CRS or it cannot be resolved (the page then shows x/y only). */
export function crsMeta(label: string | undefined, where: string): CrsMeta | undefined {
  if (!label) return undefined;
  try {
    const c = resolveCrs(label, where);
    const m = /^EPSG:(\d+)$/i.exec(c.label);
    const def = m ? epsgEntry(Number(m[1]))?.proj4?.replace(/\s*\+type=crs\b/, '') : typeof c.def === 'string' ? c.def : undefined;
    return def ? { label: c.label, def, geographic: c.geographic } : undefined;
  } catch {
    return undefined;
  }
}
