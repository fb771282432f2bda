/**
 * Logging with three modes: normal (human lines on stderr), quiet (errors only)
 * and json (one JSON object per line on stdout, for scripts). The mode is set
 * once by the CLI (`--quiet`, `--json`) or by NUNATAK_QUIET / NUNATAK_LOG=json.
 */
export type LogMode = 'normal' | 'quiet' | 'json';

let mode: LogMode =
  process.env.NUNATAK_LOG === 'json' ? 'json' : process.env.NUNATAK_QUIET === '1' ? 'quiet' : 'normal';

export function setLogMode(m: LogMode): void {
  mode = m;
}

export function getLogMode(): LogMode {
  return mode;
}

function emit(level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>): void {
  if (mode === 'json') {
    process.stdout.write(JSON.stringify({ level, msg, ...data, ts: new Date().toISOString() }) + '\n');
    return;
  }
  if (mode === 'quiet' && level !== 'error') return;
  const prefix = level === 'info' ? '' : `${level}: `;
  process.stderr.write(prefix + msg + '\n');
}

export const log = {
  info: (msg: string, data?: Record<string, unknown>) => emit('info', msg, data),
  warn: (msg: string, data?: Record<string, unknown>) => emit('warn', msg, data),
  error: (msg: string, data?: Record<string, unknown>) => emit('error', msg, data),
};
