/** Run folders: `outputs/<YYYY-MM-DD>/<HH-MM-SS>/` (as Hydra/IGM), or a given one. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function defaultRunDir(base = process.cwd(), now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
  const time = `${p(now.getHours())}-${p(now.getMinutes())}-${p(now.getSeconds())}`;
  let dir = join(resolve(base), 'outputs', day, time);
  // two runs in the same second get distinct folders
  for (let k = 1; existsSync(dir); k++) dir = join(resolve(base), 'outputs', day, `${time}_${k}`);
  return dir;
}
