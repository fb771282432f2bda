/** A 1-D variable as a line plot (uPlot) against its coordinate, or its index. */
import uPlot from 'uplot';
import type { CoordMeta, VarMeta } from '../protocol.js';

let current: uPlot | undefined;

export function drawSeries(host: HTMLElement, v: VarMeta, data: Float32Array, stride: number, coords: Record<string, CoordMeta>): void {
  current?.destroy();
  const c = coords[v.dims[0]];
  const xs = Array.from(data, (_, k) => c?.values[k * stride] ?? k * stride);
  const units = typeof v.attrs.units === 'string' ? ` (${v.attrs.units})` : '';
  current = new uPlot(
    {
      width: Math.min(900, host.clientWidth || 900),
      height: 360,
      scales: { x: { time: false } },
      axes: [{ label: `${v.dims[0]}${c?.units ? ` (${c.units})` : ''}` }, { label: `${v.name}${units}` }],
      series: [{}, { label: v.name, stroke: '#1f77b4', width: 1.5 }],
    },
    [xs, Array.from(data, (y) => (Number.isFinite(y) ? y : null))] as uPlot.AlignedData,
    host,
  );
}
