#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node
// The shebang asks glibc for transparent huge pages on large allocations (as
// NumPy does with madvise): first touching a fresh 40 MB array then costs 2 MB
// page faults instead of 4 kB ones, ~10× less (a NetCDF read 160 → 20 ms).
// Ignored where glibc is not the C library; `node bin/nunatak.js` runs without it.
// Entry point. In a checkout (src/ present) it registers tsx so nunatak's
// TypeScript sources load with no build step; an installed package has no
// src/ and runs the JavaScript `npm pack` built into dist/ (docs/install.md).
// Users' own TypeScript loads through core/plugins' loader either way.
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
if (existsSync(new URL('src/cli/main.ts', root))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/cli/main.ts', root).href);
} else {
  await import(new URL('dist/cli/main.js', root).href);
}
