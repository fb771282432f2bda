/**
 * A command's result on stdout: with `--json` (or NUNATAK_LOG=json) one JSON
 * object whose numbers are JSON numbers, so scripts read fields rather than
 * parse text; otherwise the human lines. Undefined fields are left out.
 */
import { getLogMode } from '../core/log.js';

export function emit(result: Record<string, unknown>, lines: string | string[]): void {
  if (getLogMode() === 'json') {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const text = Array.isArray(lines) ? lines.join('\n') : lines;
  if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
