/**
 * The live page's validation-sample maps of an emulator run: TRUE | PRED |
 * PRED − TRUE of one output field (chosen in a select), redrawn after every
 * epoch from the live buffers `<field>_true|_pred|_diff`. TRUE and PRED share
 * one colour range; the difference is on a symmetric diverging range.
 */
import type { VarMeta } from '../protocol.js';
import { getSlab, type SlabData } from './api.js';
import { MapPanel, el, finiteRange, fmt, panel } from './faces/panels.js';

const KINDS = ['true', 'pred', 'diff'] as const;
const TITLES = { true: 'TRUE', pred: 'PRED', diff: 'PRED − TRUE' };

/** What was drawn last, for tests: the epoch, the field and each map's values (C order, p × p). */
export interface SampleMapsRecord {
  epoch: number;
  field: string;
  draws: number;
  data: Record<(typeof KINDS)[number], number[]>;
}

export class SampleMaps {
  readonly record: SampleMapsRecord = { epoch: 0, field: '', draws: 0, data: { true: [], pred: [], diff: [] } };
  private readonly select = el('select');
  private readonly where = el('span', '', 'facenote');
  private readonly panels: Record<(typeof KINDS)[number], MapPanel>;
  private buffers: VarMeta[] = [];
  private busy = false;
  private again = false;

  constructor(private readonly host: HTMLElement, onError: (e: unknown) => void) {
    const head = el('div', 'validation sample: ');
    head.append(this.select, ' ', this.where);
    const row = el('div', '', 'maprow');
    host.append(head, row);
    this.select.id = 'emu-field';
    this.panels = Object.fromEntries(
      KINDS.map((k) => {
        return [k, new MapPanel(panel(row, `sample-${k}`, TITLES[k]), 280)];
      }),
    ) as SampleMaps['panels'];
    this.select.addEventListener('change', () => void this.refresh().catch(onError));
  }

  /** New buffers after an epoch: update the field list if it changed, then redraw. */
  async update(buffers: VarMeta[]): Promise<void> {
    this.host.hidden = false;
    const fields = [...new Set(buffers.map((b) => String(b.attrs.nunatak_field)))];
    if (fields.join('\n') !== [...this.select.options].map((o) => o.value).join('\n')) {
      this.select.replaceChildren(...fields.map((f) => Object.assign(el('option', f), { value: f })));
    }
    this.buffers = buffers;
    await this.refresh();
  }

  /** One fetch round at a time; an update meanwhile triggers one more (the latest snapshot). */
  private async refresh(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.drawField(this.select.value);
      } while (this.again);
    } finally {
      this.busy = false;
    }
  }

  private async drawField(field: string): Promise<void> {
    const metas = KINDS.map((k) => this.buffers.find((b) => b.name === `${field}_${k}`));
    if (metas.some((m) => !m)) return;
    const slabs: SlabData[] = await Promise.all(metas.map((m) => getSlab(`/api/live/slab/${encodeURIComponent(m!.name)}?at=0,0`)));
    const [lo, hi] = finiteRange([...slabs[0].data, ...slabs[1].data]);
    const d = Math.max(Math.abs(finiteRange(slabs[2].data)[0]), Math.abs(finiteRange(slabs[2].data)[1])) || 1;
    KINDS.forEach((k, n) => {
      const s = slabs[n];
      const v = metas[n]!;
      const [vmin, vmax] = k === 'diff' ? [-d, d] : [lo, hi];
      this.panels[k].draw({ v, data: s.data, ny: s.shape[0], nx: s.shape[1], stride: s.stride, coords: {}, flipY: false, cmap: k === 'diff' ? 'RdBu' : 'viridis', vmin, vmax });
      this.record.data[k] = Array.from(s.data);
    });
    const a = metas[0]!.attrs;
    this.where.textContent = `${a.case} frame ${a.frame}, rows ${a.j0}…, columns ${a.i0}… — after epoch ${a.epoch} (range ${fmt(lo)} … ${fmt(hi)})`;
    this.record.epoch = Number(a.epoch);
    this.record.field = field;
    this.record.draws++;
  }
}
