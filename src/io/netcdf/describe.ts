/**
 * An `ncdump -h`-like CDL header of a Dataset: dimensions, variables with
 * their attributes (typed, with ncdump's literal suffixes), global attributes.
 * Adds the file format and, for chunked/compressed variables, a storage
 * comment.
 */
import { basename, extname } from 'node:path';
import type { Dataset } from './dataset.js';
import type { AttrValue, DType } from './types.js';

const CDL_TYPE: Record<DType, string> = {
  int8: 'byte',
  uint8: 'ubyte',
  int16: 'short',
  uint16: 'ushort',
  int32: 'int',
  uint32: 'uint',
  int64: 'int64',
  uint64: 'uint64',
  float32: 'float',
  float64: 'double',
  char: 'char',
  string: 'string',
};
const SUFFIX: Partial<Record<DType, string>> = { int8: 'b', uint8: 'UB', int16: 's', uint16: 'US', uint32: 'U', int64: 'LL', uint64: 'ULL', float32: 'f' };

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const cdlName = (s: string) => s.replace(/([^A-Za-z0-9_.@+-])/g, '\\$1');

function formatNumber(x: number | bigint, t: DType | undefined): string {
  if (typeof x === 'bigint') return `${x}${SUFFIX[t ?? 'int64'] ?? ''}`;
  if (t === 'float32' || t === 'float64' || (t === undefined && !Number.isInteger(x))) {
    if (Number.isNaN(x)) return `NaN${t === 'float32' ? 'f' : ''}`;
    if (!Number.isFinite(x)) return `${x > 0 ? '' : '-'}Infinity${t === 'float32' ? 'f' : ''}`;
    let s = t === 'float32' ? String(Number(x.toPrecision(7))) : String(x);
    if (!s.includes('.')) s = s.includes('e') ? s.replace('e', '.e') : s + '.';
    return s + (t === 'float32' ? 'f' : '');
  }
  return `${x}${t ? (SUFFIX[t] ?? '') : ''}`;
}

function formatAttr(v: AttrValue, t: DType | undefined): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return (v as Array<number | bigint | string>).map((x) => (typeof x === 'string' ? quote(x) : formatNumber(x, t))).join(', ');
  return formatNumber(v, t);
}

/** CDL header text for `ds` (like `ncdump -h`). */
export function describeDataset(ds: Dataset): string {
  const name = basename(ds.path, extname(ds.path));
  const out: string[] = [`netcdf ${cdlName(name)} {`, `// format: ${ds.format}`, 'dimensions:'];
  for (const d of ds.dims) {
    out.push(d.unlimited ? `\t${cdlName(d.name)} = UNLIMITED ; // (${d.size} currently)` : `\t${cdlName(d.name)} = ${d.size} ;`);
  }
  out.push('variables:');
  for (const v of ds.vars) {
    const dims = v.dims.length ? `(${v.dims.map(cdlName).join(', ')})` : '';
    out.push(`\t${CDL_TYPE[v.dtype]} ${cdlName(v.name)}${dims} ;`);
    for (const [k, a] of Object.entries(v.attrs)) {
      // _FillValue and friends have the variable's type even when the format did not say.
      const t = v.attrTypes?.[k] ?? (['_FillValue', 'missing_value', 'valid_min', 'valid_max', 'valid_range'].includes(k) ? v.dtype : undefined);
      out.push(`\t\t${cdlName(v.name)}:${cdlName(k)} = ${formatAttr(a, t)} ;`);
    }
    if (v.chunks || v.filters) {
      const parts = [v.chunks ? `chunks (${v.chunks.join(', ')})` : '', v.filters ? `filters ${v.filters.join(', ')}` : ''].filter(Boolean);
      out.push(`\t\t// storage: ${parts.join('; ')}`);
    }
  }
  const g = Object.entries(ds.attrs);
  if (g.length) {
    out.push('', '// global attributes:');
    for (const [k, a] of g) out.push(`\t\t:${cdlName(k)} = ${formatAttr(a, ds.attrTypes[k])} ;`);
  }
  out.push('}');
  return out.join('\n');
}
