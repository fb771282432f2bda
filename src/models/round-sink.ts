/**
 * Base of the rollout outputs (NetCDF file, zarr store): outputs are kept as
 * they arrive and written once per round, then the progress file is
 * replaced — so a killed run resumes from its last complete round.
 */
import type { RolloutProgress, RolloutSink } from './rollout.js';
import { SinkProgress } from './sink-progress.js';

/** One output of a model call: start time `t`, members m0 … m0+n−1, lead index, data [n, channels, y, x]. */
export interface PendingOutput {
  t: number;
  m0: number;
  n: number;
  lead: number;
  data: Float32Array;
}

export abstract class RoundSink implements RolloutSink {
  private pending: PendingOutput[] = [];
  protected readonly progress: SinkProgress;

  protected constructor(out: string, config: string) {
    this.progress = new SinkProgress(out, config);
  }

  get progressPath(): string {
    return this.progress.path;
  }

  write(t: number, m0: number, n: number, lead: number, data: Float32Array): void {
    this.pending.push({ t, m0, n, lead, data });
  }

  /** Write the round's outputs to disk (complete on return). */
  protected abstract flush(pending: PendingOutput[]): Promise<void> | void;

  async saveProgress(p: RolloutProgress): Promise<void> {
    await this.flush(this.pending);
    this.pending = [];
    this.progress.save(p);
  }
}
