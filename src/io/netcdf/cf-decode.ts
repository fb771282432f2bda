/**
 * CF decoding of stored values: `_FillValue`, `missing_value` and
 * `valid_min`/`valid_max`/`valid_range` become NaN (compared on the raw,
 * packed values as CF prescribes), then `scale_factor` and `add_offset` unpack.
 */
import { NunatakError } from '../../core/errors.js';
import type { AttrValue, RawArray, VarInfo } from './types.js';

export type DecodedArray = Float32Array | Float64Array;

const asNumbers = (v: AttrValue | undefined): number[] => {
  if (v === undefined || typeof v === 'string') return [];
  if (Array.isArray(v)) return (v as Array<number | bigint | string>).map(Number).filter((x) => !Number.isNaN(x));
  return [Number(v)];
};

/**
 * Output precision: float64 when the variable is float64 or a wide integer, or
 * when packed with float64 scale/offset; float32 otherwise (CF: the unpacked
 * type is that of scale_factor / add_offset).
 */
export function decodedPrecision(v: VarInfo): 'float32' | 'float64' {
  const packed = v.attrs.scale_factor ?? v.attrs.add_offset;
  if (packed !== undefined) {
    // Attribute element types are not kept; a value that float32 cannot hold exactly is float64.
    const vals = asNumbers(packed);
    if (v.dtype === 'int32' || v.dtype === 'uint32' || v.dtype === 'int64' || v.dtype === 'uint64') return 'float64';
    return vals.every((x) => Math.fround(x) === x) ? 'float32' : 'float64';
  }
  return ['float64', 'int32', 'uint32', 'int64', 'uint64'].includes(v.dtype) ? 'float64' : 'float32';
}

/** Decode raw values of variable `v` to floats with NaN for missing data. */
export function cfDecode(v: VarInfo, raw: RawArray, precision = decodedPrecision(v), where = v.name): DecodedArray {
  if (Array.isArray(raw)) {
    throw new NunatakError('DTYPE', `${where}: variable '${v.name}' holds text (${v.dtype}), not numbers`, {
      hint: 'read it with readRaw()',
    });
  }
  const a = v.attrs;
  const fills = [...asNumbers(a._FillValue), ...asNumbers(a.missing_value)];
  let lo = -Infinity;
  let hi = Infinity;
  const range = asNumbers(a.valid_range);
  if (range.length === 2) [lo, hi] = range;
  if (a.valid_min !== undefined) lo = asNumbers(a.valid_min)[0] ?? lo;
  if (a.valid_max !== undefined) hi = asNumbers(a.valid_max)[0] ?? hi;
  const scale = a.scale_factor === undefined ? 1 : asNumbers(a.scale_factor)[0];
  const offset = a.add_offset === undefined ? 0 : asNumbers(a.add_offset)[0];
  if (!Number.isFinite(scale) || !Number.isFinite(offset)) {
    throw new NunatakError('INPUT', `${where}: scale_factor/add_offset of '${v.name}' are not finite numbers`);
  }
  const n = raw.length;
  const out = precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
  const big = raw instanceof BigInt64Array || raw instanceof BigUint64Array;
  const f0 = fills[0];
  const nf = fills.length;
  const ranged = lo !== -Infinity || hi !== Infinity;
  const plain = scale === 1 && offset === 0;
  // For a float32 variable, a float64 fill attribute must be compared at float32 precision.
  const fillsCmp = v.dtype === 'float32' ? fills.map(Math.fround) : fills;
  for (let i = 0; i < n; i++) {
    const x = big ? Number((raw as BigInt64Array)[i]) : (raw as Float64Array)[i];
    let miss = false;
    if (nf === 1) miss = x === (fillsCmp[0] ?? f0);
    else if (nf > 1) miss = fillsCmp.includes(x);
    if (!miss && ranged) miss = x < lo || x > hi;
    out[i] = miss ? NaN : plain ? x : x * scale + offset;
  }
  return out;
}
