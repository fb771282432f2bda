/**
 * Publish emulator training to a LiveHub: a `run` event, one `epoch` event
 * per finished epoch (train / validation loss and MAE, in the scaled units
 * training uses), then `done` with why training stopped. With a validation
 * sample per epoch, its TRUE, PRED and PRED − TRUE maps of every output
 * field become live buffers `<field>_true`, `<field>_pred`, `<field>_diff`
 * (physical units), replaced before that epoch's event is sent.
 */
import type { EpochSample } from '../../emulator/epoch-sample.js';
import type { FitResult, HistoryRow } from '../../emulator/fit.js';
import type { VarMeta } from '../protocol.js';
import type { LiveHub } from './hub.js';

export interface TrainingLive {
  /** Store the epoch's validation sample maps (call before onEpoch of the same epoch). */
  sample(s: EpochSample): void;
  onEpoch(row: HistoryRow): void;
  finish(fit: FitResult | undefined): void;
  fail(e: unknown): void;
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The three kinds of sample map, in the order the page shows them. */
export const SAMPLE_MAPS = ['true', 'pred', 'diff'] as const;

function sampleBuffers(hub: LiveHub, s: EpochSample): VarMeta[] {
  const where = `${s.case} frame ${s.t}, patch rows ${s.j}…${s.j + s.p - 1}, columns ${s.i}…${s.i + s.p - 1}`;
  return s.outputs.flatMap((f) => {
    const diff = f.pred.map((x, k) => x - f.truth[k]);
    const what = { true: ['TRUE', f.truth], pred: ['PRED', f.pred], diff: ['PRED − TRUE', diff] } as const;
    return SAMPLE_MAPS.map((kind) => {
      const [label, data] = what[kind];
      const meta: VarMeta = {
        name: `${f.name}_${kind}`,
        dtype: 'float32',
        dims: ['y', 'x'],
        shape: [s.p, s.p],
        attrs: { long_name: `${f.name} ${label} after epoch ${s.epoch} (${where})`, units: f.units, nunatak_sample: kind, nunatak_field: f.name, epoch: s.epoch, case: s.case, frame: s.t, j0: s.j, i0: s.i },
        map: { y: 0, x: 1 },
      };
      hub.setBuffer({ meta, data });
      return meta;
    });
  });
}

export function publishTraining(hub: LiveHub, title: string, epochs: number): TrainingLive {
  const t0 = performance.now();
  let buffers: VarMeta[] | undefined;
  hub.publish('run', { kind: 'emulator', title, epochs });
  return {
    sample(s) {
      buffers = sampleBuffers(hub, s);
    },
    onEpoch(r) {
      hub.publish('epoch', { epoch: r.epoch, epochs, loss: r.loss, val_loss: num(r.val_loss), mae: r.mae, val_mae: num(r.val_mae), seconds: r.seconds, progress: r.epoch / epochs, buffers });
    },
    finish(fit) {
      hub.publish('done', { progress: 1, seconds: (performance.now() - t0) / 1000, stoppedOn: fit?.stoppedOn });
    },
    fail(e) {
      hub.publish('error', { message: (e as Error)?.message ?? String(e), code: (e as { code?: string })?.code });
    },
  };
}
