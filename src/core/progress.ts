/**
 * Progress reporting for any loop over time steps, epochs, partitions or
 * ensemble members: a cli-progress bar with rate and ETA on a terminal, one
 * JSON line per update in json mode, and nothing in quiet mode.
 */
import cliProgress from 'cli-progress';
import { getLogMode } from './log.js';

export interface Progress {
  /** Advance by `n` units (default 1) and update the extra fields shown. */
  tick(n?: number, fields?: Record<string, string | number>): void;
  /** Set the absolute position. */
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export interface ProgressOptions {
  /** What one unit is called (step, epoch, partition, member). */
  unit?: string;
  /** Names of extra fields to show after the bar, e.g. ['loss', 'val_loss']. */
  fields?: string[];
  /** Force a mode (tests); defaults to the log mode and whether stderr is a TTY. */
  mode?: 'bar' | 'json' | 'lines' | 'none';
}

/** Start a progress display for `total` units labelled `label`. */
export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const logMode = getLogMode();
  const mode =
    opts.mode ?? (logMode === 'quiet' ? 'none' : logMode === 'json' ? 'json' : process.stderr.isTTY ? 'bar' : 'lines');
  const unit = opts.unit ?? 'it';
  let value = 0;
  const t0 = performance.now();
  let lastLine = 0;
  const extra: Record<string, string | number> = {};

  const rateEta = () => {
    const el = (performance.now() - t0) / 1000;
    const rate = el > 0 ? value / el : 0;
    const eta = rate > 0 ? (total - value) / rate : Infinity;
    return { rate, eta, elapsed: el };
  };

  if (mode === 'bar') {
    const fmtFields = (opts.fields ?? []).map((f) => `${f}={${f}}`).join(' ');
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted} ${fmtFields}`,
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', ...Object.fromEntries((opts.fields ?? []).map((f) => [f, '-'])) });
    const set = (v: number, fields?: Record<string, string | number>) => {
      value = v;
      Object.assign(extra, fields);
      bar.update(v, { rate: rateEta().rate.toFixed(2), ...extra });
    };
    return { tick: (n = 1, f) => set(value + n, f), update: set, stop: () => bar.stop() };
  }

  const report = (final: boolean) => {
    const { rate, eta, elapsed } = rateEta();
    if (mode === 'json') {
      process.stdout.write(JSON.stringify({ progress: label, value, total, rate, eta, elapsed, ...extra }) + '\n');
    } else if (mode === 'lines') {
      const f = Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stderr.write(
        `${label} ${value}/${total} ${unit} ${rate.toFixed(2)} ${unit}/s ETA ${Number.isFinite(eta) ? eta.toFixed(0) + 's' : '?'} ${f}${final ? ' done' : ''}\n`,
      );
    }
  };
  const set = (v: number, fields?: Record<string, string | number>) => {
    value = v;
    Object.assign(extra, fields);
    if (mode === 'none') return;
    // Line modes print at most every 2 s so logs stay readable.
    const now = performance.now();
    if (now - lastLine > 2000 || value >= total) {
      lastLine = now;
      report(false);
    }
  };
  return { tick: (n = 1, f) => set(value + n, f), update: set, stop: () => mode !== 'none' && report(true) };
}
