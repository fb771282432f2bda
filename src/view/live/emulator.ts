/**
 * Publish emulator training to a LiveHub: a `run` event, one `epoch` event
 * per finished epoch (train / validation loss and MAE, in the scaled units
 * training uses), then `done` with why training stopped.
 */
import type { FitResult, HistoryRow } from '../../emulator/fit.js';
import type { LiveHub } from './hub.js';

export interface TrainingLive {
  onEpoch(row: HistoryRow): void;
  finish(fit: FitResult | undefined): void;
  fail(e: unknown): void;
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function publishTraining(hub: LiveHub, title: string, epochs: number): TrainingLive {
  const t0 = performance.now();
  hub.publish('run', { kind: 'emulator', title, epochs });
  return {
    onEpoch(r) {
      hub.publish('epoch', { epoch: r.epoch, epochs, loss: r.loss, val_loss: num(r.val_loss), mae: r.mae, val_mae: num(r.val_mae), seconds: r.seconds, progress: r.epoch / epochs });
    },
    finish(fit) {
      hub.publish('done', { progress: 1, seconds: (performance.now() - t0) / 1000, stoppedOn: fit?.stoppedOn });
    },
    fail(e) {
      hub.publish('error', { message: (e as Error)?.message ?? String(e), code: (e as { code?: string })?.code });
    },
  };
}
