/**
 * The progress file `<out>.progress.json` of a rollout output (NetCDF file or
 * zarr store): the run config it was started with and the rollout progress
 * after the last complete round. It is replaced (write + rename) only after
 * the round's outputs are on disk, so a killed run resumes from there.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';
import type { RolloutProgress } from './rollout.js';

export class SinkProgress {
  constructor(
    private readonly out: string,
    private readonly config: string,
  ) {}

  get path(): string {
    return `${this.out}.progress.json`;
  }

  /**
   * Checks the output before a run: with `resume`, returns the saved progress
   * (the output and progress file must exist and the config match); otherwise
   * an existing output is an error unless `overwrite`.
   */
  check(o: { resume?: boolean; overwrite?: boolean }): RolloutProgress | undefined {
    if (o.resume) {
      if (!existsSync(this.out) || !existsSync(this.path)) throw new NunatakError('NOT_FOUND', `${this.out}: nothing to resume (need the output and ${this.path})`, { hint: 'run without --resume to start' });
      const saved = JSON.parse(readFileSync(this.path, 'utf8')) as { config: string; progress: RolloutProgress | null };
      if (saved.config !== this.config) throw new NunatakError('CONFIG', `${this.out}: the run config differs from the one the output was started with; cannot resume`, { hint: 'use the same config, or start a new output' });
      return saved.progress ?? undefined;
    }
    if (existsSync(this.out) && !o.overwrite) {
      throw new NunatakError('IO', `${this.out}: file exists`, { hint: existsSync(this.path) ? 'pass --resume to continue it, or --overwrite' : 'pass --overwrite, or choose another output' });
    }
    return undefined;
  }

  /** Replace the progress file (undefined: the output exists but holds no round yet). */
  save(p: RolloutProgress | undefined): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ config: this.config, progress: p ?? null }));
    renameSync(tmp, this.path);
  }
}
