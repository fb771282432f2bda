/** One range slider per non-map dimension (time, lead, member, layer…), labelled with its coordinate value. */
import type { CoordMeta, VarMeta } from '../protocol.js';

/** Text for index k of a dimension: CF date, or value and units, or the index. */
export function coordLabel(dim: string, k: number, c: CoordMeta | undefined): string {
  if (c?.labels?.[k]) return c.labels[k];
  if (c && k < c.values.length) return `${c.values[k]}${c.units ? ` ${c.units}` : ''}`;
  return `index ${k}`;
}

/**
 * Fill `host` with sliders for every dim of `v` except the map axes; `at` holds
 * the current index per dim and is updated in place before `changed` runs.
 */
export function buildSliders(host: HTMLElement, v: VarMeta, coords: Record<string, CoordMeta>, at: number[], changed: () => void): void {
  host.replaceChildren();
  v.dims.forEach((dim, d) => {
    if (v.map && (d === v.map.x || d === v.map.y)) return;
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = `${dim} (${v.shape[d]})`;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: '0', max: String(v.shape[d] - 1), step: '1', value: String(at[d]) });
    input.id = `slider-${dim}`;
    const value = document.createElement('output');
    value.id = `value-${dim}`;
    value.textContent = coordLabel(dim, at[d], coords[dim]);
    input.addEventListener('input', () => {
      at[d] = Number(input.value);
      value.textContent = coordLabel(dim, at[d], coords[dim]);
      changed();
    });
    label.append(name, input, value);
    host.append(label);
  });
}
